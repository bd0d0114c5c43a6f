/// One kind's own validation rules, kube's `Validate<Kind>` (`old` nil) and
/// `Validate<Kind>Update` (`old` the stored object), without the metadata checks every kind
/// shares (``ObjectMetaValidation``).
public typealias KindValidator = @Sendable (_ object: JSONValue, _ old: JSONValue?) -> [FieldError]

/// The validators of the built-in kinds, by group and kind.
public enum KindValidators {
    /// The rules for `type`'s kind, nil for a kind validated by its metadata alone.
    public static func validator(for type: ResourceType) -> KindValidator? {
        byKind["\(type.group)/\(type.kind)"]
    }

    private static let byKind: [String: KindValidator] = [
        "apps/Deployment": DeploymentValidation.errors,
        "apps/ReplicaSet": ReplicaSetValidation.errors,
        "apps/StatefulSet": StatefulSetValidation.errors,
        "apps/DaemonSet": DaemonSetValidation.errors,
        "batch/Job": JobValidation.errors,
        "batch/CronJob": CronJobValidation.errors,
        "/Service": ServiceValidation.errors,
        "policy/PodDisruptionBudget": PodDisruptionBudgetValidation.errors,
        "/Pod": PodValidation.errors,
        "/PodTemplate": PodTemplateValidation.podTemplate,
        "/ConfigMap": ConfigMapValidation.errors,
        "/Secret": SecretValidation.errors,
        "/Namespace": NamespaceValidation.errors,
        "/PersistentVolume": PersistentVolumeValidation.errors,
        "/PersistentVolumeClaim": PersistentVolumeClaimValidation.errors,
        "storage.k8s.io/StorageClass": StorageClassValidation.errors,
        "scheduling.k8s.io/PriorityClass": PriorityClassValidation.errors,
        "rbac.authorization.k8s.io/Role": RBACValidation.role,
        "rbac.authorization.k8s.io/ClusterRole": RBACValidation.clusterRole,
        "rbac.authorization.k8s.io/RoleBinding": RBACValidation.roleBinding,
        "rbac.authorization.k8s.io/ClusterRoleBinding": RBACValidation.clusterRoleBinding,
        "networking.k8s.io/Ingress": IngressValidation.errors,
        "networking.k8s.io/IngressClass": IngressValidation.ingressClass,
        "networking.k8s.io/NetworkPolicy": NetworkPolicyValidation.errors,
        "coordination.k8s.io/Lease": LeaseValidation.errors,
        "apiextensions.k8s.io/CustomResourceDefinition": StructuralSchemaValidation.errors(crd:old:),
    ]
}
