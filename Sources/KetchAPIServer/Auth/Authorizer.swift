import KubeCore
import Synchronization

/// RBAC over the roles and bindings in the store, compiled once per change of them.
final class Authorizer: Sendable {
    private let mirror: PrefixMirror
    private let root: String
    private let cache = Mutex<(generation: Int, policy: RBACPolicy?)>((-1, nil))
    /// When false (`--authorization-mode=AlwaysAllow`), every authenticated request passes.
    let enabled: Bool

    /// Authorizes against the objects `mirror` holds under `root`.
    init(mirror: PrefixMirror, root: String, enabled: Bool) {
        self.mirror = mirror
        self.root = root
        self.enabled = enabled
    }

    /// The RBAC prefixes the mirror must follow.
    static func prefixes(root: String) -> [String] {
        ["clusterroles", "clusterrolebindings", "roles", "rolebindings"].map { "\(root)/\($0)/" }
    }

    /// Whether the request may proceed.
    func authorize(_ attributes: RequestAttributes) -> RBACDecision {
        if !enabled { return RBACDecision(allowed: true, reason: "authorization disabled") }
        return policy().authorize(attributes)
    }

    private func policy() -> RBACPolicy {
        let generation = mirror.generation
        if let cached = cache.withLock({ $0.generation == generation ? $0.policy : nil }) { return cached }
        let policy = RBACPolicy(
            clusterRoles: mirror.objects(under: "\(root)/clusterroles/"),
            clusterRoleBindings: mirror.objects(under: "\(root)/clusterrolebindings/"),
            roles: mirror.objects(under: "\(root)/roles/"),
            roleBindings: mirror.objects(under: "\(root)/rolebindings/"))
        cache.withLock { $0 = (generation, policy) }
        return policy
    }
}
