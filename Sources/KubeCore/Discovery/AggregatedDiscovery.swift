import Foundation

/// Aggregated discovery (`apidiscovery.k8s.io`): the whole API surface in two documents,
/// `GET /api` and `GET /apis`, when the client's Accept asks for `as=APIGroupDiscoveryList`.
///
/// kubectl 1.27–1.29 asks for `v2beta1`, 1.30+ for `v2` first; the two versions have the same
/// JSON shape and differ only in `apiVersion`.
public enum AggregatedDiscovery {
    /// The `apidiscovery.k8s.io` version to answer with.
    public enum Version: String, Sendable, CaseIterable {
        /// GA since Kubernetes 1.30.
        case v2
        /// Beta, what kubectl 1.27–1.29 request.
        case v2beta1

        /// The document's `apiVersion`.
        public var apiVersion: String { "apidiscovery.k8s.io/\(rawValue)" }
    }

    /// The `APIGroupDiscoveryList` for `/api` (`legacy: true`: one item, the unnamed core group)
    /// or for `/apis` (every named group, in discovery order).
    public static func groupDiscoveryList(_ catalogue: ResourceCatalogue, legacy: Bool, version: Version = .v2) -> JSONValue {
        let groups = catalogue.groups.filter { $0.name.isEmpty == legacy }
        return .object([
            "kind": .string("APIGroupDiscoveryList"),
            "apiVersion": .string(version.apiVersion),
            "metadata": .object([:]),
            "items": .array(groups.map { groupDiscovery($0, catalogue) }),
        ])
    }

    /// One `APIGroupDiscovery`: the group's name and, per version (preferred first), its resources.
    static func groupDiscovery(_ group: APIGroupInfo, _ catalogue: ResourceCatalogue) -> JSONValue {
        var metadata: [String: JSONValue] = ["creationTimestamp": .null]
        if !group.name.isEmpty { metadata["name"] = .string(group.name) }
        let versions = group.versions.map { v -> JSONValue in
            let resources = catalogue.resources(group: group.name, version: v).sorted { $0.plural < $1.plural }
            return .object([
                "version": .string(v),
                "resources": .array(resources.map(resourceDiscovery)),
                "freshness": .string("Current"),
            ])
        }
        return .object(["metadata": .object(metadata), "versions": .array(versions)])
    }

    /// One `APIResourceDiscovery`. client-go drops resources without `responseKind`, so it is
    /// always present; empty lists are omitted as Go's `omitempty` does.
    static func resourceDiscovery(_ r: ResourceType) -> JSONValue {
        var o: [String: JSONValue] = [
            "resource": .string(r.plural),
            "responseKind": gvk(r.group, r.version, r.kind),
            "scope": .string(r.scope),
            "singularResource": .string(r.singular),
            "verbs": .array(r.verbs.map(JSONValue.string)),
        ]
        if !r.shortNames.isEmpty { o["shortNames"] = .array(r.shortNames.map(JSONValue.string)) }
        if !r.categories.isEmpty { o["categories"] = .array(r.categories.map(JSONValue.string)) }
        let subs = r.subresourceInfos.sorted { $0.name < $1.name }
        if !subs.isEmpty {
            o["subresources"] = .array(subs.map { s in
                .object([
                    "subresource": .string(s.name),
                    "responseKind": gvk(s.group, s.version, s.kind),
                    "verbs": .array(s.verbs.map(JSONValue.string)),
                ])
            })
        }
        return .object(o)
    }

    /// A `GroupVersionKind`; `group` is present even when empty, as kube serializes it.
    static func gvk(_ group: String, _ version: String, _ kind: String) -> JSONValue {
        .object(["group": .string(group), "version": .string(version), "kind": .string(kind)])
    }

    /// Which answer an `Accept` header asks for: the first `as=APIGroupDiscoveryList` entry's
    /// version, or nil for legacy discovery. Entries are tried in the client's order.
    public static func requestedVersion(accept: String) -> Version? {
        for entry in accept.split(separator: ",") {
            let params = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard params.contains("as=APIGroupDiscoveryList"),
                  params.contains("g=apidiscovery.k8s.io") else { continue }
            // Only JSON is produced; protobuf variants are skipped so the client falls through.
            guard params.first == "application/json" else { continue }
            for p in params where p.hasPrefix("v=") {
                if let v = Version(rawValue: String(p.dropFirst(2))) { return v }
            }
        }
        return nil
    }
}
