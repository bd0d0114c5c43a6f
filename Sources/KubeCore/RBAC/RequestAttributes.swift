/// What a request asks to do, as Kubernetes' authorizers see it (`authorizer.Attributes`).
///
/// The shim derives one of these per request from the URL and method; authorizers only ever
/// look at this, never at the HTTP request, so they stay pure and testable.
public struct RequestAttributes: Sendable, Hashable {
    /// The authenticated user.
    public var user: UserInfo
    /// The Kubernetes verb for resource requests (`get`, `list`, `watch`, `create`, `update`,
    /// `patch`, `delete`, `deletecollection`, …); for non-resource requests the lower-case HTTP
    /// method (`get`, `post`, `put`, …), as kube's request-info resolver does.
    public var verb: String
    /// Whether the request targets an API resource (`/api/...`, `/apis/...` with a resource),
    /// as opposed to a non-resource URL such as `/healthz` or `/version`.
    public var isResourceRequest: Bool
    /// The URL path, matched against `nonResourceURLs` for non-resource requests.
    public var path: String
    /// The namespace of a namespaced request; nil (or empty) at the cluster scope.
    public var namespace: String?
    /// The API group; empty for the core group.
    public var apiGroup: String
    /// The API version, e.g. `v1`.
    public var apiVersion: String
    /// The resource (lower-case plural), e.g. `pods`.
    public var resource: String
    /// The subresource, e.g. `exec` or `status`, if any.
    public var subresource: String?
    /// The object name, if the request names one.
    public var name: String?

    /// Creates request attributes.
    public init(
        user: UserInfo, verb: String, isResourceRequest: Bool, path: String, namespace: String? = nil,
        apiGroup: String = "", apiVersion: String = "", resource: String = "", subresource: String? = nil,
        name: String? = nil
    ) {
        self.user = user
        self.verb = verb
        self.isResourceRequest = isResourceRequest
        self.path = path
        self.namespace = namespace
        self.apiGroup = apiGroup
        self.apiVersion = apiVersion
        self.resource = resource
        self.subresource = subresource
        self.name = name
    }
}
