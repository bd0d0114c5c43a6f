/// The outcome of an authorization check.
public struct RBACDecision: Sendable, Hashable {
    /// Whether the request may proceed.
    public var allowed: Bool
    /// Why, in kube-apiserver's words: `RBAC: allowed by ClusterRoleBinding "…" of ClusterRole
    /// "…" to Group "…"` when allowed; when denied, empty, or `RBAC: <errors>` if bindings
    /// referred to missing roles. kube-apiserver appends a non-empty denial reason to the 403
    /// message after `: `.
    public var reason: String

    /// Creates a decision.
    public init(allowed: Bool, reason: String) {
        self.allowed = allowed
        self.reason = reason
    }
}
