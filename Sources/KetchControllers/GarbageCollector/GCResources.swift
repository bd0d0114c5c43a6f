import KubeCore

/// The resources the garbage collector watches, and how an owner reference's `apiVersion` and
/// `kind` map to a resource (upstream asks its REST mapper; Ketch knows the built-ins).
enum GCResources {
    /// Built-in resources whose objects carry or are named by owner references in practice:
    /// the workloads and what they own, Services and what the endpoint controllers write, and
    /// Nodes (mirror pods are owned by their Node). Events and Leases are left out: they churn
    /// and the graph gains nothing from them. Custom resources are out of scope.
    static let monitored: [ResourceType] = [
        BuiltinResources.pods,
        BuiltinResources.replicaSets,
        BuiltinResources.deployments,
        BuiltinResources.statefulSets,
        BuiltinResources.daemonSets,
        BuiltinResources.jobs,
        BuiltinResources.cronJobs,
        BuiltinResources.replicationControllers,
        BuiltinResources.controllerRevisions,
        BuiltinResources.services,
        BuiltinResources.endpoints,
        BuiltinResources.endpointSlices,
        BuiltinResources.configMaps,
        BuiltinResources.secrets,
        BuiltinResources.persistentVolumeClaims,
        BuiltinResources.serviceAccounts,
        BuiltinResources.nodes,
    ]

    /// The built-in resource of `kind` in `apiVersion`'s group: the exact version when served,
    /// otherwise any served version of the group (a reference written as `apps/v1beta2` still
    /// names a Deployment). Nil for kinds Ketch does not know.
    static func type(apiVersion: String, kind: String) -> ResourceType? {
        let group = apiVersion.split(separator: "/", maxSplits: 1).count == 2
            ? String(apiVersion.split(separator: "/", maxSplits: 1)[0]) : ""
        let candidates = BuiltinResources.all.filter { $0.group == group && $0.kind == kind && $0.isStored }
        return candidates.first { $0.apiVersion == apiVersion } ?? candidates.first
    }
}
