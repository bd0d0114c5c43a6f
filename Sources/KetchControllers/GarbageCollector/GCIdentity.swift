import KubeCore

/// Who an object in the dependency graph is: its coordinates as owner references name them,
/// plus its namespace (nil for cluster-scoped objects), as upstream's `objectReference`.
struct GCIdentity: Hashable, Sendable, CustomStringConvertible {
    /// `apiVersion`, as the object or a reference to it spells it.
    var apiVersion: String
    /// The kind.
    var kind: String
    /// The namespace; nil when cluster-scoped.
    var namespace: String?
    /// The name.
    var name: String
    /// The uid: the graph's key.
    var uid: String

    /// The identity of an object of resource `type`, from its metadata.
    init(type: ResourceType, object: JSONValue) {
        apiVersion = type.apiVersion
        kind = type.kind
        namespace = type.namespaced ? ObjectMetadata.namespace(object) : nil
        name = ObjectMetadata.name(object)
        uid = ObjectMetadata.uid(object)
    }

    /// The identity an owner reference names, from a dependent in `dependentNamespace`: owners
    /// of a namespaced kind live in their dependent's namespace.
    init(reference: OwnerReferences.Reference, dependentNamespace: String?) {
        apiVersion = reference.apiVersion
        kind = reference.kind
        name = reference.name
        uid = reference.uid
        let namespaced = GCResources.type(apiVersion: reference.apiVersion, kind: reference.kind)?.namespaced ?? true
        namespace = namespaced ? dependentNamespace : nil
    }

    /// Whether `reference` names exactly these coordinates (`ownerReferenceMatchesCoordinates`).
    func matches(_ reference: OwnerReferences.Reference) -> Bool {
        reference.uid == uid && reference.name == name && reference.kind == kind && reference.apiVersion == apiVersion
    }

    /// `[v1/Pod, namespace: ns, name: web, uid: …]`, as upstream logs identities.
    var description: String {
        "[\(apiVersion)/\(kind), namespace: \(namespace ?? ""), name: \(name), uid: \(uid)]"
    }
}
