/// What a request is about, parsed from its method, path and query as kube-apiserver's
/// `RequestInfoFactory` does: the input of authorization and of the resource handlers.
public struct RequestInfo: Sendable, Equatable {
    /// Whether the path names an API resource (`/api/...`, `/apis/...` below a version).
    public var isResourceRequest: Bool
    /// The URL path.
    public var path: String
    /// The Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection;
    /// for non-resource requests the lower-case HTTP method.
    public var verb: String
    /// `/api` or `/apis`.
    public var apiPrefix: String = ""
    /// The API group ("" for core).
    public var apiGroup: String = ""
    /// The API version.
    public var apiVersion: String = ""
    /// The namespace in the path, if any.
    public var namespace: String?
    /// The resource (plural).
    public var resource: String = ""
    /// The subresource, e.g. `status`, `scale`, `exec`, `log`.
    public var subresource: String?
    /// The object name, if any.
    public var name: String?

    /// Parses a request; `query` holds its query parameters.
    public init(method: String, path: String, query: [String: String]) {
        self.path = path
        self.isResourceRequest = false
        self.verb = method.lowercased()
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let prefix = parts.first, prefix == "api" || prefix == "apis" else { return }
        parts.removeFirst()
        apiPrefix = "/" + prefix
        if prefix == "apis" {
            guard parts.count >= 2 else { return }
            apiGroup = parts.removeFirst()
        } else {
            guard parts.count >= 1 else { return }
        }
        apiVersion = parts.removeFirst()
        guard !parts.isEmpty else { return }
        isResourceRequest = true

        var watchPath = false
        if parts.first == "watch" {
            watchPath = true
            parts.removeFirst()
        }
        // kube-apiserver's rule: /namespaces/{ns}/... scopes what follows, except the Namespace
        // object itself and its status/finalize subresources (whose namespace is their name).
        if parts[0] == "namespaces", parts.count > 1 {
            namespace = parts[1]
            if parts.count > 2, !["status", "finalize"].contains(parts[2]) {
                parts.removeFirst(2)
            }
        }
        resource = parts[0]
        name = parts.count >= 2 ? parts[1] : nil
        subresource = parts.count >= 3 ? parts[2...].joined(separator: "/") : nil
        let isWatch = watchPath || ["true", "1"].contains(query["watch"]?.lowercased() ?? "")
        switch method.uppercased() {
        case "GET", "HEAD":
            if isWatch { verb = "watch" } else { verb = name == nil ? "list" : "get" }
        case "POST": verb = "create"
        case "PUT": verb = "update"
        case "PATCH": verb = "patch"
        case "DELETE": verb = name == nil ? "deletecollection" : "delete"
        default: verb = method.lowercased()
        }
        // Subresources that open streams are authorized as `create` (KEP-4006: the WebSocket
        // GET for exec is checked as CREATE, like the SPDY POST).
        if let sub = subresource, ["exec", "attach", "portforward"].contains(sub) { verb = "create" }
    }
}
