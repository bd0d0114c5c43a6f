import KubeCore

/// One request the fake apiserver served, as client-go's fake clientset records its actions:
/// tests assert on these ("the controller created one pod", "no writes happened").
public struct FakeAction: Sendable, Hashable, CustomStringConvertible {
    /// The Kubernetes verb: `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`.
    public var verb: String
    /// The resource's plural name (`pods`, `deployments`).
    public var resource: String
    /// The namespace of the request; nil for cluster-scoped or all-namespace requests.
    public var namespace: String?
    /// The object's name; nil for list and watch (and for a create before a generated name).
    public var name: String?
    /// The subresource (`status`, `binding`, `eviction`), if any.
    public var subresource: String?

    /// An action with the given parts.
    public init(verb: String, resource: String, namespace: String? = nil, name: String? = nil, subresource: String? = nil) {
        self.verb = verb
        self.resource = resource
        self.namespace = namespace
        self.name = name
        self.subresource = subresource
    }

    /// Whether the action changes stored state (everything but get, list and watch).
    public var isWrite: Bool { !["get", "list", "watch"].contains(verb) }

    /// `create pods default/web-1/binding`, for readable test failures.
    public var description: String {
        var target = [namespace, name].compactMap { $0 }.joined(separator: "/")
        if let subresource { target += "/" + subresource }
        return "\(verb) \(resource)" + (target.isEmpty ? "" : " " + target)
    }
}
