/// Where kube-apiserver keeps each kind in etcd: `/registry/<resource>/[<namespace>/]<name>`, with
/// the resource paths kube-apiserver uses (Nodes under `minions`, Services under `services/specs`,
/// Endpoints under `services/endpoints`, APIServices under their group).
public struct RegistryResource: Sendable, Hashable {
    /// The path between `/registry/` and the namespace or name.
    public let path: String
    /// Whether keys carry a namespace segment.
    public let namespaced: Bool

    /// The resource of `kind` in `group` (`""` for the core group), nil for kinds Ketch does not seed.
    public static func forKind(_ kind: String, group: String) -> RegistryResource? {
        table[GroupKind(group: group, kind: kind)]
    }

    /// The etcd key of an object named `name` (in `namespace` when namespaced).
    public func key(name: String, namespace: String?) -> String {
        namespaced ? "/registry/\(path)/\(namespace ?? "")/\(name)" : "/registry/\(path)/\(name)"
    }

    private struct GroupKind: Hashable {
        let group: String
        let kind: String
    }

    private static let table: [GroupKind: RegistryResource] = {
        let rows: [(String, String, String, Bool)] = [
            ("", "Namespace", "namespaces", false),
            ("", "Node", "minions", false),
            ("", "Service", "services/specs", true),
            ("", "Endpoints", "services/endpoints", true),
            ("", "ServiceAccount", "serviceaccounts", true),
            ("", "ConfigMap", "configmaps", true),
            ("", "Secret", "secrets", true),
            ("", "Pod", "pods", true),
            // RangeAllocations have no name in kube-apiserver; the seed names them after their key.
            ("", "RangeAllocation", "ranges", false),
            ("discovery.k8s.io", "EndpointSlice", "endpointslices", true),
            ("rbac.authorization.k8s.io", "ClusterRole", "clusterroles", false),
            ("rbac.authorization.k8s.io", "ClusterRoleBinding", "clusterrolebindings", false),
            ("rbac.authorization.k8s.io", "Role", "roles", true),
            ("rbac.authorization.k8s.io", "RoleBinding", "rolebindings", true),
            ("scheduling.k8s.io", "PriorityClass", "priorityclasses", false),
            ("coordination.k8s.io", "Lease", "leases", true),
            ("storage.k8s.io", "CSINode", "csinodes", false),
            ("storage.k8s.io", "StorageClass", "storageclasses", false),
            ("networking.k8s.io", "ServiceCIDR", "servicecidrs", false),
            ("networking.k8s.io", "IPAddress", "ipaddresses", false),
            ("apiregistration.k8s.io", "APIService", "apiregistration.k8s.io/apiservices", false),
        ]
        var table: [GroupKind: RegistryResource] = [:]
        for (group, kind, path, namespaced) in rows {
            table[GroupKind(group: group, kind: kind)] = RegistryResource(path: path, namespaced: namespaced)
        }
        return table
    }()
}
