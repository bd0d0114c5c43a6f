/// Every resource the shim serves: the built-ins plus those defined by CustomResourceDefinitions.
///
/// Routing, discovery, Tables and OpenAPI all read from one catalogue, so a CRD that is created
/// shows up everywhere at once when the catalogue is rebuilt.
public struct ResourceCatalogue: Sendable {
    /// Built-in resources, in discovery order.
    public var builtins: [ResourceType]
    /// Served custom resource versions, one entry per (CRD, served version).
    public var customResources: [ResourceType]

    /// Creates a catalogue.
    public init(builtins: [ResourceType] = BuiltinResources.all, customResources: [ResourceType] = []) {
        self.builtins = builtins
        self.customResources = customResources
    }

    /// Creates a catalogue from stored CustomResourceDefinition objects.
    public init(builtins: [ResourceType] = BuiltinResources.all, crds: [JSONValue]) {
        self.init(builtins: builtins, customResources: crds.flatMap(ResourceCatalogue.customResource(fromCRD:)))
    }

    /// Built-ins followed by custom resources.
    public var all: [ResourceType] { builtins + customResources }

    /// The resource served at `/api[s]/<group>/<version>/…/<plural>`. URLs name resources only by
    /// their plural, exactly (kube-apiserver does not accept kinds or short names in paths).
    public func lookup(group: String, version: String, plural: String) -> ResourceType? {
        // Built-ins first: kube-apiserver refuses CRDs that would shadow a built-in.
        all.first { $0.group == group && $0.version == version && $0.plural == plural }
    }

    /// The resource of an object's `apiVersion` and `kind`, e.g. to route `kubectl apply` input.
    public func lookup(apiVersion: String, kind: String) -> ResourceType? {
        all.first { $0.apiVersion == apiVersion && $0.kind == kind }
    }

    /// Resources matching a name as kubectl accepts it (plural, singular, short name or kind,
    /// case-insensitively), optionally qualified by group (`deployments.apps`), each group's
    /// preferred version only — the way kubectl's RESTMapper resolves `kubectl get <name>`.
    public func resolve(_ name: String) -> [ResourceType] {
        let lower = name.lowercased()
        let preferred = Dictionary(groups.map { ($0.name, $0.preferredVersion) }, uniquingKeysWith: { a, _ in a })
        func matches(_ r: ResourceType, _ n: String) -> Bool {
            r.plural == n || r.singular == n || r.kind.lowercased() == n || r.shortNames.contains(n)
        }
        let candidates = all.filter { preferred[$0.group] == $0.version }
        let direct = candidates.filter { matches($0, lower) }
        if !direct.isEmpty { return direct }
        // `deployments.apps`, `deploy.apps`: split at the first dot.
        guard let dot = lower.firstIndex(of: ".") else { return [] }
        let resource = String(lower[..<dot]), group = String(lower[lower.index(after: dot)...])
        return candidates.filter { $0.group == group && matches($0, resource) }
    }

    /// Every resource of one group version, in catalogue order.
    public func resources(group: String, version: String) -> [ResourceType] {
        all.filter { $0.group == group && $0.version == version }
    }

    /// Built-in groups in kube-apiserver's discovery order (descending APIService
    /// `groupPriorityMinimum`, ties by name), as aggregated discovery lists them.
    public static let builtinGroupOrder = [
        "", "apps", "events.k8s.io", "authentication.k8s.io", "authorization.k8s.io", "autoscaling", "batch",
        "certificates.k8s.io", "networking.k8s.io", "policy", "rbac.authorization.k8s.io", "storage.k8s.io",
        "admissionregistration.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io", "coordination.k8s.io",
        "node.k8s.io", "discovery.k8s.io", "flowcontrol.apiserver.k8s.io", "apiregistration.k8s.io",
    ]

    /// Groups whose APIService has a lower `groupPriorityMinimum` than CRDs' 1000, listed after
    /// them: metrics.k8s.io (metrics-server's APIService says 100).
    public static let lowPriorityGroups = ["metrics.k8s.io"]

    /// Served groups: the core group first, built-in groups in discovery order, then CRD groups
    /// alphabetically, then ``lowPriorityGroups``. Each group's versions are in kube-aware order,
    /// preferred first.
    public var groups: [APIGroupInfo] {
        var versions: [String: [String]] = [:]
        for r in all where !(versions[r.group]?.contains(r.version) ?? false) {
            versions[r.group, default: []].append(r.version)
        }
        let builtinOrder = Self.builtinGroupOrder
        let known = builtinOrder.filter { versions[$0] != nil }
        let last = Self.lowPriorityGroups.filter { versions[$0] != nil }
        let others = versions.keys.filter { !builtinOrder.contains($0) && !last.contains($0) }.sorted()
        return (known + others + last).map { APIGroupInfo(name: $0, versions: KubeVersionOrder.sorted(versions[$0]!)) }
    }

    /// The served group of that name, or nil.
    public func group(named name: String) -> APIGroupInfo? { groups.first { $0.name == name } }
}
