/// k8s.io/api/rbac/v1 messages: roles, bindings, rules and subjects.
enum RBACV1Schemas {
    static let messages: [MessageSchema] = [
        MessageSchema("Role", [
            .field(1, "metadata", .message("ObjectMeta")),
            .list(2, "rules", .message("PolicyRule")),
        ]),
        MessageSchema("ClusterRole", [
            .field(1, "metadata", .message("ObjectMeta")),
            .list(2, "rules", .message("PolicyRule")),
            .field(3, "aggregationRule", .message("AggregationRule")),
        ]),
        MessageSchema("AggregationRule", [
            .list(1, "clusterRoleSelectors", .message("LabelSelector")),
        ]),
        MessageSchema("PolicyRule", [
            .list(1, "verbs", .string),
            .list(2, "apiGroups", .string),
            .list(3, "resources", .string),
            .list(4, "resourceNames", .string),
            .list(5, "nonResourceURLs", .string),
        ]),
        MessageSchema("RoleBinding", [
            .field(1, "metadata", .message("ObjectMeta")),
            .list(2, "subjects", .message("Subject")),
            .field(3, "roleRef", .message("RoleRef")),
        ]),
        MessageSchema("ClusterRoleBinding", [
            .field(1, "metadata", .message("ObjectMeta")),
            .list(2, "subjects", .message("Subject")),
            .field(3, "roleRef", .message("RoleRef")),
        ]),
        MessageSchema("RoleRef", [
            // None of RoleRef's members has omitempty.
            .field(1, "apiGroup", .string, .keep),
            .field(2, "kind", .string, .keep),
            .field(3, "name", .string, .keep),
        ]),
        MessageSchema("Subject", [
            .field(1, "kind", .string, .keep),
            .field(2, "apiGroup", .string),
            .field(3, "name", .string, .keep),
            .field(4, "namespace", .string),
        ]),
    ]
}
