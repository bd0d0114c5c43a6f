/// A RoleBinding or ClusterRoleBinding resolved to its rules once, so authorization does not
/// look roles up per request (kube's `DefaultRuleResolver` does, against informer caches).
struct RBACBinding: Sendable {
    /// One subject of a binding.
    struct Subject: Sendable {
        /// `User`, `Group` or `ServiceAccount`; other kinds never match.
        var kind: String
        var name: String
        /// Only meaningful for ServiceAccount subjects.
        var namespace: String
    }

    /// The binding's name.
    var name: String
    /// The binding's namespace; nil for a ClusterRoleBinding.
    var namespace: String?
    /// `roleRef.kind` and `roleRef.name`, for the allow reason.
    var roleKind: String
    var roleName: String
    var subjects: [Subject]
    /// The referenced role's rules, or why there are none (kube's resolver error text).
    var rules: Result<[PolicyRule], RoleReferenceError>

    /// Kube's error for a roleRef that cannot be resolved; such a binding grants nothing, and
    /// the message ends up in the denial reason.
    struct RoleReferenceError: Error, Sendable {
        var message: String
    }

    /// Reads a binding and resolves its roleRef with `lookup(kind, name)` (nil: not found).
    /// `namespaced` tells a RoleBinding from a ClusterRoleBinding.
    init(json: JSONValue, namespaced: Bool, lookup: (String, String) -> [PolicyRule]?) {
        name = json["metadata"]?["name"]?.string ?? ""
        namespace = namespaced ? (json["metadata"]?["namespace"]?.string ?? "") : nil
        roleKind = json["roleRef"]?["kind"]?.string ?? ""
        roleName = json["roleRef"]?["name"]?.string ?? ""
        subjects = (json["subjects"]?.array ?? []).map {
            Subject(kind: $0["kind"]?.string ?? "", name: $0["name"]?.string ?? "",
                    namespace: $0["namespace"]?.string ?? "")
        }
        switch roleKind {
        case "Role", "ClusterRole":
            if let found = lookup(roleKind, roleName) {
                rules = .success(found)
            } else {
                rules = .failure(RoleReferenceError(message: "\(roleKind.lowercased()).rbac.authorization.k8s.io \"\(roleName)\" not found"))
            }
        default:
            rules = .failure(RoleReferenceError(message: "unsupported role reference kind: \"\(roleKind)\""))
        }
    }

    /// The user name a ServiceAccount subject stands for, or nil when it has no namespace: a
    /// RoleBinding's own namespace is the default, a ClusterRoleBinding has none
    /// (`appliesToUser`).
    func serviceAccountUserName(_ subject: Subject) -> String? {
        let ns = subject.namespace.isEmpty ? (namespace ?? "") : subject.namespace
        guard !ns.isEmpty else { return nil }
        return "system:serviceaccount:\(ns):\(subject.name)"
    }

    /// The index of the first subject that is `user`, as kube's `appliesTo`.
    func firstSubject(matching user: UserInfo) -> Int? {
        subjects.firstIndex { subject in
            switch subject.kind {
            case "User": return subject.name == user.name
            case "Group": return user.groups.contains(subject.name)
            case "ServiceAccount": return serviceAccountUserName(subject) == user.name
            default: return false
            }
        }
    }

    /// kube's describer text: `ClusterRoleBinding "n" of ClusterRole "r" to Group "g"`, or
    /// `RoleBinding "n/ns" of Role "r" to ServiceAccount "sa/ns"`.
    func describe(subjectAt index: Int) -> String {
        let subject = subjects[index]
        var who = subject.name
        if subject.kind == "ServiceAccount" {
            who += "/" + (subject.namespace.isEmpty ? (namespace ?? "") : subject.namespace)
        }
        let to = "\(subject.kind) \"\(who)\""
        if let namespace {
            return "RoleBinding \"\(name)/\(namespace)\" of \(roleKind) \"\(roleName)\" to \(to)"
        }
        return "ClusterRoleBinding \"\(name)\" of \(roleKind) \"\(roleName)\" to \(to)"
    }
}
