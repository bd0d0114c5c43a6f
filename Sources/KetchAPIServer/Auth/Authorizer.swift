import KubeCore
import Synchronization

/// RBAC over the roles and bindings in the store, compiled once per change of them.
///
/// With `--authorization-mode` including `Node`, kubelets (users `system:node:<name>` in the
/// group `system:nodes`) get the `system:node` ClusterRole's rules, which is what the Node
/// authorizer grants a node for its own objects. Ketch does not narrow them to the node's own
/// pods and secrets, so one simulated kubelet can speak for every simulated node.
final class Authorizer: Sendable {
    private let mirror: PrefixMirror
    private let root: String
    private let cache = Mutex<(generation: Int, policy: RBACPolicy?)>((-1, nil))
    /// When false (`--authorization-mode=AlwaysAllow`), every authenticated request passes.
    let enabled: Bool
    /// Whether the Node authorizer's grant is added (`--authorization-mode=Node,…`).
    let nodeMode: Bool

    /// Authorizes against the objects `mirror` holds under `root`.
    init(mirror: PrefixMirror, root: String, enabled: Bool, nodeMode: Bool = false) {
        self.mirror = mirror
        self.root = root
        self.enabled = enabled
        self.nodeMode = nodeMode
    }

    /// The binding standing in for the Node authorizer.
    static let nodeBinding: JSONValue = .object([
        "metadata": .object(["name": .string("ketch:node-authorizer")]),
        "roleRef": .object(["apiGroup": .string("rbac.authorization.k8s.io"), "kind": .string("ClusterRole"), "name": .string("system:node")]),
        "subjects": .array([.object(["apiGroup": .string("rbac.authorization.k8s.io"), "kind": .string("Group"), "name": .string("system:nodes")])]),
    ])

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
            clusterRoleBindings: mirror.objects(under: "\(root)/clusterrolebindings/") + (nodeMode ? [Self.nodeBinding] : []),
            roles: mirror.objects(under: "\(root)/roles/"),
            roleBindings: mirror.objects(under: "\(root)/rolebindings/"))
        cache.withLock { $0 = (generation, policy) }
        return policy
    }
}
