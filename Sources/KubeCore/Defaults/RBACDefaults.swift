/// rbac/v1's `SetDefaults_RoleBinding`, `SetDefaults_ClusterRoleBinding` and
/// `SetDefaults_Subject`: the role reference's group, and each subject's group from its kind.
public enum RBACDefaults {
    private static let group = "rbac.authorization.k8s.io"

    /// A RoleBinding or ClusterRoleBinding with its defaults.
    @Sendable public static func binding(_ input: JSONValue) -> JSONValue {
        var object = input
        if var ref = object["roleRef"], case .object = ref {
            ref.setDefault("apiGroup", .string(group))
            object["roleRef"] = ref
        }
        object.modifyEach("subjects") { subject in
            guard JSONValue.isUnset(subject["apiGroup"]) else { return }
            switch subject["kind"]?.string {
            case "User"?, "Group"?: subject["apiGroup"] = .string(group)
            default: break
            }
        }
        return object
    }
}
