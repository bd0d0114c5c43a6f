/// kube-controller-manager's `--controllers`: `*` enables the on-by-default controllers, `name`
/// enables one, `-name` disables one; old names are accepted for new ones.
public struct ControllerSelection: Sendable, Equatable {
    /// The canonical names selected, in catalogue order.
    public let enabled: [String]
    /// Names given that Ketch does not run: upstream controllers it has no stand-in for.
    public let notRun: [String]

    /// The error for a name neither Ketch nor upstream knows.
    public struct UnknownController: Error, CustomStringConvertible, Equatable {
        /// The name given.
        public let name: String
        /// Upstream's message.
        public var description: String { "\"\(name)\" is not in the list of known controllers" }
    }

    /// Parses the flag's value against `catalogue`; `upstreamOnly` are names upstream knows but
    /// Ketch does not run (they are accepted and reported in `notRun`).
    public init(_ value: String, catalogue: [ControllerDescriptor], upstreamOnly: [String: String] = ControllerSelection.upstreamOnly) throws {
        var canonical: [String: String] = [:]
        for descriptor in catalogue {
            canonical[descriptor.name] = descriptor.name
            for alias in descriptor.aliases { canonical[alias] = descriptor.name }
        }
        var wildcard = false
        var on: Set<String> = []
        var off: Set<String> = []
        var notRun: [String] = []
        for raw in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !raw.isEmpty {
            if raw == "*" { wildcard = true; continue }
            let negated = raw.hasPrefix("-")
            let name = negated ? String(raw.dropFirst()) : raw
            if let known = canonical[name] {
                if negated { off.insert(known) } else { on.insert(known) }
            } else if let upstream = upstreamOnly[name] ?? (upstreamOnly.values.contains(name) ? name : nil) {
                if !negated { notRun.append(upstream) }
            } else {
                throw UnknownController(name: name)
            }
        }
        enabled = catalogue.filter { d in
            !off.contains(d.name) && (on.contains(d.name) || (wildcard && d.enabledByDefault))
        }.map(\.name)
        self.notRun = notRun
    }

    /// Upstream 1.33 controllers Ketch has no stand-in for, by old name → new name: no cloud, no
    /// volumes to attach, no quota or autoscaling.
    public static let upstreamOnly: [String: String] = [
        "attachdetach": "persistentvolume-attach-detach-controller",
        "bootstrapsigner": "bootstrap-signer-controller",
        "tokencleaner": "token-cleaner-controller",
        "csrapproving": "certificatesigningrequest-approving-controller",
        "csrcleaner": "certificatesigningrequest-cleaner-controller",
        "csrsigning": "certificatesigningrequest-signing-controller",
        "cloud-node-lifecycle": "cloud-node-lifecycle-controller",
        "clusterrole-aggregation": "clusterrole-aggregation-controller",
        "disruption": "disruption-controller",
        "endpointslicemirroring": "endpointslice-mirroring-controller",
        "ephemeral-volume": "ephemeral-volume-controller",
        "horizontalpodautoscaling": "horizontal-pod-autoscaler-controller",
        "legacy-service-account-token-cleaner": "legacy-serviceaccount-token-cleaner-controller",
        "route": "node-route-controller",
        "persistentvolume-expander": "persistentvolume-expander-controller",
        "pv-protection": "persistentvolume-protection-controller",
        "pvc-protection": "persistentvolumeclaim-protection-controller",
        "resourcequota": "resourcequota-controller",
        "service-cidr-controller": "service-cidr-controller",
        "service": "service-lb-controller",
        "serviceaccount-token": "serviceaccount-token-controller",
        "ttl": "ttl-controller",
        "validatingadmissionpolicy-status-controller": "validatingadmissionpolicy-status-controller",
        "storage-version-migrator-controller": "storage-version-migrator-controller",
        "selinux-warning-controller": "selinux-warning-controller",
        "taint-eviction-controller": "taint-eviction-controller",
    ]
}
