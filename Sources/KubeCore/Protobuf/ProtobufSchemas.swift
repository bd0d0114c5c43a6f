/// Every message schema, and which apiVersion/kind pairs are top-level objects.
///
/// The tables live in Schemas/, one file per API group version, transcribed from the
/// generated.proto files of k8s.io/api and k8s.io/apimachinery (field numbers never change
/// once released, so newer fields only add rows).
enum ProtobufSchemas {
    /// All schemas by message name.
    static let all: [String: MessageSchema] = {
        let groups: [[MessageSchema]] = [
            MetaV1Schemas.messages, CoreV1Schemas.messages, AppsV1Schemas.messages,
            BatchV1Schemas.messages, RBACV1Schemas.messages, NetworkingV1Schemas.messages,
            PolicyV1Schemas.messages, SchedulingV1Schemas.messages,
            AuthenticationV1Schemas.messages, CoordinationV1Schemas.messages, AuthorizationV1Schemas.messages,
        ]
        return Dictionary(groups.joined().map { ($0.name, $0) }, uniquingKeysWith: { first, _ in
            preconditionFailure("duplicate protobuf schema \(first.name)")
        })
    }()

    /// Top-level kinds by "apiVersion/kind", naming their message schema.
    static let kinds: [String: String] = [
        "v1/ConfigMap": "ConfigMap",
        "v1/Secret": "Secret",
        "v1/Namespace": "Namespace",
        "v1/ServiceAccount": "ServiceAccount",
        "v1/Service": "Service",
        "v1/Pod": "Pod",
        "v1/PodTemplate": "PodTemplate",
        "v1/ReplicationController": "ReplicationController",
        "v1/ResourceQuota": "ResourceQuota",
        "v1/LimitRange": "LimitRange",
        "v1/PersistentVolumeClaim": "PersistentVolumeClaim",
        "v1/Endpoints": "Endpoints",
        "v1/Event": "Event",
        "v1/Binding": "Binding",
        "apps/v1/Deployment": "Deployment",
        "apps/v1/ReplicaSet": "ReplicaSet",
        "apps/v1/StatefulSet": "StatefulSet",
        "apps/v1/DaemonSet": "DaemonSet",
        "apps/v1/ControllerRevision": "ControllerRevision",
        "batch/v1/Job": "Job",
        "batch/v1/CronJob": "CronJob",
        "rbac.authorization.k8s.io/v1/Role": "Role",
        "rbac.authorization.k8s.io/v1/ClusterRole": "ClusterRole",
        "rbac.authorization.k8s.io/v1/RoleBinding": "RoleBinding",
        "rbac.authorization.k8s.io/v1/ClusterRoleBinding": "ClusterRoleBinding",
        "networking.k8s.io/v1/Ingress": "Ingress",
        "networking.k8s.io/v1/IngressClass": "IngressClass",
        "networking.k8s.io/v1/NetworkPolicy": "NetworkPolicy",
        "policy/v1/PodDisruptionBudget": "PodDisruptionBudget",
        "scheduling.k8s.io/v1/PriorityClass": "PriorityClass",
        "authentication.k8s.io/v1/TokenRequest": "TokenRequest",
        "authentication.k8s.io/v1/TokenReview": "TokenReview",
        "coordination.k8s.io/v1/Lease": "Lease",
        "authorization.k8s.io/v1/SelfSubjectAccessReview": "SelfSubjectAccessReview",
        "authorization.k8s.io/v1/SubjectAccessReview": "SubjectAccessReview",
        "authentication.k8s.io/v1/SelfSubjectReview": "SelfSubjectReview",
    ]

    /// The schema of a top-level object. DeleteOptions is registered in every group version
    /// (kubectl sends it as "v1" or "meta.k8s.io/v1", others under their own group), so any
    /// apiVersion is accepted for it.
    static func topLevel(apiVersion: String, kind: String) -> MessageSchema? {
        if kind == "DeleteOptions" { return all["DeleteOptions"] }
        return kinds["\(apiVersion)/\(kind)"].flatMap { all[$0] }
    }
}
