import KubeCore

/// An object's identity within one resource: `namespace/name`, or `name` for cluster-scoped
/// objects, as client-go's `cache.MetaNamespaceKeyFunc` spells it.
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The namespace; nil for cluster-scoped objects.
    public var namespace: String?
    /// The name.
    public var name: String

    /// A key.
    public init(namespace: String?, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// The key of an object, from its metadata.
    public init(_ object: JSONValue) {
        self.namespace = object["metadata"]?["namespace"]?.string
        self.name = object["metadata"]?["name"]?.string ?? ""
    }

    /// `namespace/name` or `name`.
    public var description: String { namespace.map { "\($0)/\(name)" } ?? name }

    /// Orders by namespace, then name.
    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace ?? "", lhs.name) < (rhs.namespace ?? "", rhs.name)
    }
}
