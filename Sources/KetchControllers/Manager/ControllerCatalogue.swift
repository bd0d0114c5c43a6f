/// Every controller Ketch's controller-manager can run, in upstream's start order.
public enum ControllerCatalogue {
    /// The catalogue.
    public static let all: [ControllerDescriptor] = [
        ServiceAccountReconciler.descriptor,
        RootCAPublisherReconciler.descriptor,
        EndpointsReconciler.descriptor,
        EndpointSliceReconciler.descriptor,
        ReplicaSetReconciler.replicationControllerDescriptor,
        PodGarbageCollector.descriptor,
        NamespaceReconciler.descriptor,
        GarbageCollector.descriptor,
        DaemonSetReconciler.descriptor,
        JobReconciler.descriptor,
        DeploymentReconciler.descriptor,
        ReplicaSetReconciler.replicaSetDescriptor,
        StatefulSetReconciler.descriptor,
        CronJobReconciler.descriptor,
        TTLAfterFinishedReconciler.descriptor,
        NodeIPAMReconciler.descriptor,
        NodeLifecycleController.descriptor,
        PersistentVolumeBinderReconciler.descriptor,
    ]
    /// The ServiceAccount in kube-system each controller acts as with
    /// `--use-service-account-credentials` (upstream's names; RBAC binds them to their roles).
    public static let serviceAccounts: [String: String] = [
        "deployment-controller": "deployment-controller",
        "replicaset-controller": "replicaset-controller",
        "replicationcontroller-controller": "replication-controller",
        "statefulset-controller": "statefulset-controller",
        "daemonset-controller": "daemon-set-controller",
        "job-controller": "job-controller",
        "cronjob-controller": "cronjob-controller",
        "ttl-after-finished-controller": "ttl-after-finished-controller",
        "garbage-collector-controller": "generic-garbage-collector",
        "namespace-controller": "namespace-controller",
        "serviceaccount-controller": "service-account-controller",
        "root-ca-certificate-publisher-controller": "root-ca-cert-publisher",
        "endpoints-controller": "endpoint-controller",
        "endpointslice-controller": "endpointslice-controller",
        "node-ipam-controller": "node-controller",
        "node-lifecycle-controller": "node-controller",
        "pod-garbage-collector-controller": "pod-garbage-collector",
        "persistentvolume-binder-controller": "persistent-volume-binder",
    ]
}
