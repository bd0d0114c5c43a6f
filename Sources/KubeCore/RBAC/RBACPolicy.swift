/// Kubernetes' RBAC authorizer over a snapshot of the RBAC objects, with the
/// `system:masters` superuser group in front of it as kube-apiserver configures it.
///
/// Decisions match plugin/pkg/auth/authorizer/rbac: ClusterRoleBindings grant their role's
/// rules everywhere; RoleBindings grant a Role of their namespace or a ClusterRole, only for
/// requests in that namespace. Bindings are resolved to rules and indexed by subject at init,
/// so `authorize` costs a few dictionary lookups plus the rules of the bindings that name the
/// user. Build a new policy when RBAC objects change; ClusterRoles are used with their stored
/// `rules` (aggregated roles are stored already filled in).
public struct RBACPolicy: Sendable {
    /// Bindings by subject key: user names (service-account subjects included, as the user
    /// name they stand for) and group names, each to binding positions in input order.
    struct SubjectIndex: Sendable {
        var users: [String: [Int]] = [:]
        var groups: [String: [Int]] = [:]

        mutating func add(_ binding: RBACBinding, at position: Int) {
            for subject in binding.subjects {
                switch subject.kind {
                case "User": users[subject.name, default: []].append(position)
                case "Group": groups[subject.name, default: []].append(position)
                case "ServiceAccount":
                    if let user = binding.serviceAccountUserName(subject) { users[user, default: []].append(position) }
                default: break
                }
            }
        }

        /// Positions of the bindings naming `user`, ascending and unique, so decisions and
        /// reasons do not depend on hashing order.
        func positions(for user: UserInfo) -> [Int] {
            var found = users[user.name] ?? []
            for group in user.groups { found += groups[group] ?? [] }
            return Array(Set(found)).sorted()
        }
    }

    /// kube's privileged group: allowed everything without consulting RBAC.
    public static let superuserGroup = "system:masters"

    let clusterBindings: [RBACBinding]
    let clusterIndex: SubjectIndex
    let roleBindings: [String: [RBACBinding]]
    let roleIndex: [String: SubjectIndex]

    /// Builds the policy from RBAC objects in their JSON form (as stored under /registry).
    public init(clusterRoles: [JSONValue], clusterRoleBindings: [JSONValue], roles: [JSONValue], roleBindings: [JSONValue]) {
        func rules(_ role: JSONValue) -> [PolicyRule] { (role["rules"]?.array ?? []).map(PolicyRule.init(json:)) }
        func name(_ object: JSONValue) -> String { object["metadata"]?["name"]?.string ?? "" }
        func namespace(_ object: JSONValue) -> String { object["metadata"]?["namespace"]?.string ?? "" }

        var clusterRoleRules: [String: [PolicyRule]] = [:]
        for role in clusterRoles { clusterRoleRules[name(role)] = rules(role) }
        var roleRules: [String: [String: [PolicyRule]]] = [:]
        for role in roles { roleRules[namespace(role), default: [:]][name(role)] = rules(role) }

        // A ClusterRoleBinding naming a Role looks in namespace "" and finds nothing, as in kube.
        var clusterBindings: [RBACBinding] = []
        var clusterIndex = SubjectIndex()
        for json in clusterRoleBindings {
            let binding = RBACBinding(json: json, namespaced: false) { kind, name in
                kind == "ClusterRole" ? clusterRoleRules[name] : roleRules[""]?[name]
            }
            clusterIndex.add(binding, at: clusterBindings.count)
            clusterBindings.append(binding)
        }

        var bindingsByNamespace: [String: [RBACBinding]] = [:]
        var roleIndex: [String: SubjectIndex] = [:]
        for json in roleBindings {
            let ns = namespace(json)
            let binding = RBACBinding(json: json, namespaced: true) { kind, name in
                kind == "ClusterRole" ? clusterRoleRules[name] : roleRules[ns]?[name]
            }
            roleIndex[ns, default: SubjectIndex()].add(binding, at: bindingsByNamespace[ns]?.count ?? 0)
            bindingsByNamespace[ns, default: []].append(binding)
        }

        self.clusterBindings = clusterBindings
        self.clusterIndex = clusterIndex
        self.roleBindings = bindingsByNamespace
        self.roleIndex = roleIndex
    }

    /// Decides a request: allowed for `system:masters`, or when any rule of any binding that
    /// applies to the user allows it (cluster bindings first, then the request namespace's).
    public func authorize(_ request: RequestAttributes) -> RBACDecision {
        if request.user.groups.contains(Self.superuserGroup) {
            return RBACDecision(allowed: true, reason: "")
        }
        var errors: [String] = []
        if let reason = firstAllowing(request, in: clusterBindings, index: clusterIndex, errors: &errors) {
            return RBACDecision(allowed: true, reason: reason)
        }
        if let namespace = request.namespace, !namespace.isEmpty,
           let bindings = roleBindings[namespace], let index = roleIndex[namespace],
           let reason = firstAllowing(request, in: bindings, index: index, errors: &errors) {
            return RBACDecision(allowed: true, reason: reason)
        }
        return RBACDecision(allowed: false, reason: errors.isEmpty ? "" : "RBAC: " + Self.aggregate(errors))
    }

    /// The allow reason of the first binding rule allowing the request; collects role
    /// reference errors of applicable bindings on the way, as kube's visitor does.
    private func firstAllowing(_ request: RequestAttributes, in bindings: [RBACBinding], index: SubjectIndex,
                               errors: inout [String]) -> String? {
        for position in index.positions(for: request.user) {
            let binding = bindings[position]
            guard let subject = binding.firstSubject(matching: request.user) else { continue }
            switch binding.rules {
            case .failure(let error):
                errors.append(error.message)
            case .success(let rules):
                if rules.contains(where: { $0.allows(request) }) {
                    return "RBAC: allowed by " + binding.describe(subjectAt: subject)
                }
            }
        }
        return nil
    }

    /// `utilerrors.NewAggregate(errs).Error()`: one message alone, otherwise the distinct
    /// messages in order, comma-separated in brackets.
    static func aggregate(_ messages: [String]) -> String {
        if messages.count == 1 { return messages[0] }
        var seen = Set<String>()
        let distinct = messages.filter { seen.insert($0).inserted }
        return distinct.count == 1 ? distinct[0] : "[" + distinct.joined(separator: ", ") + "]"
    }
}
