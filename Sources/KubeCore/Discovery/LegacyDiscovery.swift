/// The unaggregated discovery documents: what kube-apiserver answers at `/api`, `/apis`,
/// `/apis/<group>`, `/api/v1` and `/apis/<group>/<version>` when the client does not ask for
/// `as=APIGroupDiscoveryList` (kubectl before 1.26, client-go fallbacks, the Python client).
public enum LegacyDiscovery {
    /// `GET /api`: the legacy group's versions and the address clients should use.
    public static func apiVersions(serverAddress: String) -> JSONValue {
        .object([
            "kind": .string("APIVersions"),
            "versions": .array([.string("v1")]),
            "serverAddressByClientCIDRs": .array([
                .object(["clientCIDR": .string("0.0.0.0/0"), "serverAddress": .string(serverAddress)]),
            ]),
        ])
    }

    /// `GET /apis`: every named group with its versions and preferred version.
    ///
    /// kube-aggregator always lists its own `apiregistration.k8s.io` first ("it's good to be
    /// king", handler_apis.go), then the other groups by priority; aggregated discovery does not.
    public static func apiGroupList(_ catalogue: ResourceCatalogue) -> JSONValue {
        var groups = catalogue.groups.filter { !$0.name.isEmpty }
        if let i = groups.firstIndex(where: { $0.name == "apiregistration.k8s.io" }) {
            groups.insert(groups.remove(at: i), at: 0)
        }
        return .object([
            "kind": .string("APIGroupList"),
            "apiVersion": .string("v1"),
            "groups": .array(groups.map { groupJSON($0) }),
        ])
    }

    /// `GET /apis/<group>`, or nil when no such group is served (the caller answers 404).
    public static func apiGroup(_ catalogue: ResourceCatalogue, name: String) -> JSONValue? {
        guard !name.isEmpty, let group = catalogue.group(named: name) else { return nil }
        guard case .object(var o) = groupJSON(group) else { return nil }
        o["kind"] = .string("APIGroup")
        o["apiVersion"] = .string("v1")
        return .object(o)
    }

    /// The `APIGroup` members shared by the list and the single-group document.
    static func groupJSON(_ group: APIGroupInfo) -> JSONValue {
        func gv(_ v: String) -> JSONValue {
            .object(["groupVersion": .string(group.groupVersion(v)), "version": .string(v)])
        }
        return .object([
            "name": .string(group.name),
            "versions": .array(group.versions.map(gv)),
            "preferredVersion": gv(group.preferredVersion),
        ])
    }

    /// `GET /api/v1` or `GET /apis/<group>/<version>`: the resources of one group version,
    /// subresources included as `<resource>/<subresource>` entries, sorted by name as
    /// kube-apiserver sorts them. Nil when the group version is not served.
    public static func apiResourceList(_ catalogue: ResourceCatalogue, group: String, version: String) -> JSONValue? {
        let resources = catalogue.resources(group: group, version: version)
        guard !resources.isEmpty else { return nil }
        var entries: [(String, JSONValue)] = []
        for r in resources {
            entries.append((r.plural, resourceJSON(r)))
            for sub in r.subresourceInfos {
                var o: [String: JSONValue] = [
                    "name": .string("\(r.plural)/\(sub.name)"),
                    "singularName": .string(""),
                    "namespaced": .bool(r.namespaced),
                    "kind": .string(sub.kind),
                    "verbs": .array(sub.verbs.map(JSONValue.string)),
                ]
                // group/version appear only when the subresource answers in another group
                // version (`deployments/scale` → autoscaling/v1 Scale).
                if sub.group != r.group || sub.version != r.version {
                    o["group"] = .string(sub.group)
                    o["version"] = .string(sub.version)
                }
                entries.append((r.plural + "/" + sub.name, .object(o)))
            }
        }
        entries.sort { $0.0 < $1.0 }
        return .object([
            "kind": .string("APIResourceList"),
            "apiVersion": .string("v1"),
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"),
            "resources": .array(entries.map(\.1)),
        ])
    }

    /// One top-level `APIResource` entry; empty shortNames and categories are omitted, as Go's
    /// `omitempty` does.
    static func resourceJSON(_ r: ResourceType) -> JSONValue {
        var o: [String: JSONValue] = [
            "name": .string(r.plural),
            "singularName": .string(r.singular),
            "namespaced": .bool(r.namespaced),
            "kind": .string(r.kind),
            "verbs": .array(r.verbs.map(JSONValue.string)),
        ]
        if !r.shortNames.isEmpty { o["shortNames"] = .array(r.shortNames.map(JSONValue.string)) }
        if !r.categories.isEmpty { o["categories"] = .array(r.categories.map(JSONValue.string)) }
        return .object(o)
    }
}
