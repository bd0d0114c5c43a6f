import KubeClient
import KubeCore

/// kube-controller-manager's `job-controller`: runs each Job's pods to completion (see
/// ``JobSync``) and reports progress in its status and events.
///
/// Each sync reads the Job and its pods from the apiserver rather than the informer caches:
/// the counts must never see a pod twice or miss one just created, which upstream guards with
/// in-memory expectations; a fresh read needs none and survives restarts.
public struct JobReconciler: Reconciler {
    /// The catalogue entry: the Job loop, and the loop that releases pods orphaned by a
    /// deleted or finished Job.
    public static let descriptor = ControllerDescriptor("job-controller", aliases: ["job"]) { context in
        let own = context.reporting(as: "job-controller")
        return [ControllerLoop(name: "job-controller", reconciler: JobReconciler(), context: own),
                ControllerLoop(name: "job-controller-orphan-pods", reconciler: JobOrphanPodReconciler(), context: own)]
    }

    /// A Job reconciler.
    public init() {}

    public var primary: ResourceType { BuiltinResources.jobs }

    public var secondary: [SecondaryWatch] { [.owner(BuiltinResources.pods, kind: "Job")] }

    public func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        guard let job = try await context.fetch(BuiltinResources.jobs, key) else { return .done }
        let api = context.api
        let namespace = ObjectMetadata.namespace(job)
        let uid = ObjectMetadata.uid(job)
        let listed = try await api.listAll(BuiltinResources.pods, namespace: namespace,
                                           options: KubeListOptions(labelSelector: JobSpec.podSelector(of: job)))
        let pods = listed.items.filter { OwnerReferences.controllerRef(of: $0)?.uid == uid }
        let control = JobPodControl(job: job, context: context)
        var sync = JobSync(job: job, pods: pods, now: context.now())
        let actions = sync.plan()
        if sync.skipped {
            for event in sync.events { event.record(about: job, with: context.events) }
            if JobConditions.finishedType(job) != nil {
                // A finished Job no longer counts pods: whatever still holds the finalizer goes free.
                let (_, error) = await control.release(pods.filter(JobPodState.hasTrackingFinalizer))
                if let error { throw error }
            }
            return .done
        }
        let (outcome, podError) = await control.run(actions)
        sync.record(outcome)
        if let first = sync.track() {
            sync.flushed(try await api.updateStatus(BuiltinResources.jobs, namespace: namespace, first))
        }
        let (released, releaseError) = await control.release(sync.podsToRelease)
        if let last = sync.complete(released: released, failed: releaseError != nil) {
            sync.flushed(try await api.updateStatus(BuiltinResources.jobs, namespace: namespace, last))
        }
        for event in sync.events { event.record(about: sync.job, with: context.events) }
        if let error = releaseError ?? podError { throw error }
        return sync.requeueAfter.map { .requeue(after: $0) } ?? .done
    }
}
