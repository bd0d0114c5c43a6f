import KubeClient
import KubeCore

/// The Job controller's orphan worker (`syncOrphanPod`): a pod still holding
/// `batch.kubernetes.io/job-tracking` after its Job is gone or finished, or with no controller
/// at all, loses the finalizer, so deleting a Job never leaves its pods Terminating forever.
public struct JobOrphanPodReconciler: Reconciler {
    /// A reconciler.
    public init() {}

    public var primary: ResourceType { BuiltinResources.pods }

    public func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        guard let pod = context.informer(BuiltinResources.pods).get(key), JobPodState.hasTrackingFinalizer(pod) else {
            return .done
        }
        if let ref = OwnerReferences.controllerRef(of: pod) {
            // A pod some other kind of controller owns keeps its finalizers.
            guard ref.kind == "Job", ref.apiVersion == BuiltinResources.jobs.apiVersion else { return .done }
            let jobKey = ObjectKey(namespace: key.namespace, name: ref.name)
            if let cached = context.informer(BuiltinResources.jobs).get(jobKey), Self.keeps(pod, job: cached, ref: ref) {
                return .done
            }
            // The cache may lag behind a Job just created or resumed: ask the apiserver.
            if let job = try await context.fetch(BuiltinResources.jobs, jobKey), Self.keeps(pod, job: job, ref: ref) {
                return .done
            }
        }
        do {
            try await JobPodControl.releaseFinalizer(of: pod, api: context.api)
        } catch where APIErrors.isNotFound(error) {
            return .done
        }
        return .done
    }

    /// Whether `job` still tracks `pod`: it is the pod's controller (same uid), unfinished, or
    /// managed by another controller that owns the finalizer's fate.
    static func keeps(_ pod: JSONValue, job: JSONValue, ref: OwnerReferences.Reference) -> Bool {
        guard ObjectMetadata.uid(job) == ref.uid else { return false }
        return JobSpec(job).managedElsewhere || JobConditions.finishedType(job) == nil
    }
}
