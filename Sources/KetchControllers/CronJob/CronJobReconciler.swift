import Foundation
import KubeClient
import KubeCore

/// kube-controller-manager's `cronjob-controller` (ControllerV2): starts a Job at each schedule
/// time as ``CronJobSync`` decides, and wakes just after the next one rather than polling.
///
/// Like the Job controller, each sync reads the CronJob and its Jobs from the apiserver: the
/// Job name per schedule time keeps a restart from starting anything twice.
public struct CronJobReconciler: Reconciler {
    /// The catalogue entry.
    public static let descriptor = ControllerDescriptor("cronjob-controller", aliases: ["cronjob"]) { context in
        [ControllerLoop(name: "cronjob-controller", reconciler: CronJobReconciler(),
                        context: context.reporting(as: "cronjob-controller"))]
    }

    /// A reconciler.
    public init() {}

    public var primary: ResourceType { BuiltinResources.cronJobs }

    public var secondary: [SecondaryWatch] { [.owner(BuiltinResources.jobs, kind: "CronJob")] }

    public func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        guard let cronJob = try await context.fetch(BuiltinResources.cronJobs, key) else { return .done }
        let api = context.api
        let namespace = ObjectMetadata.namespace(cronJob)
        // As upstream: every Job whose controller reference names this CronJob.
        let jobs = try await api.listAll(BuiltinResources.jobs, namespace: namespace).items.filter {
            OwnerReferences.controllerRef(of: $0).map { $0.kind == "CronJob" && $0.name == key.name } ?? false
        }
        var sync = CronJobSync(cronJob: cronJob, now: context.now())
        for job in sync.historyToDelete(jobs) {
            if let error = await delete(job, context: context) {
                sync.deleteFailed(APIErrors.message(error))
            } else {
                sync.deleted(job)
            }
        }
        let gone = try await vanished(sync.active, among: jobs, context: context)
        var failure: (any Error)?
        if case .start(let job, let scheduledTime, let replacing) = sync.plan(jobs: jobs, gone: gone) {
            failure = await start(job, at: scheduledTime, replacing: replacing, sync: &sync, context: context)
        }
        if sync.statusChanged {
            do {
                _ = try await api.updateStatus(BuiltinResources.cronJobs, namespace: namespace, sync.cronJob)
            } catch {
                failure = failure ?? error
            }
        }
        for event in sync.events { event.record(about: cronJob, with: context.events) }
        if let failure { throw failure }
        return sync.requeueAfter.map { .requeue(after: $0) } ?? .done
    }

    /// The uids of `active` references whose Job the apiserver no longer has.
    private func vanished(_ active: [JSONValue], among jobs: [JSONValue], context: ControllerContext) async throws -> Set<String> {
        let known = Set(jobs.map(ObjectMetadata.uid))
        var gone: Set<String> = []
        for ref in active {
            guard let uid = ref["uid"]?.string, !known.contains(uid), let name = ref["name"]?.string else { continue }
            let found = try await context.api.getIfPresent(BuiltinResources.jobs, namespace: ref["namespace"]?.string, name: name)
            if found == nil { gone.insert(uid) }
        }
        return gone
    }

    /// Deletes the Jobs `replacing` names, then creates `job`; returns the failure that stopped it.
    private func start(_ job: JSONValue, at scheduledTime: Date, replacing: [JSONValue], sync: inout CronJobSync,
                       context: ControllerContext) async -> (any Error)? {
        for ref in replacing {
            let name = ref["name"]?.string ?? ""
            let namespace = ref["namespace"]?.string
            let current: JSONValue
            do {
                current = try await context.api.get(BuiltinResources.jobs, namespace: namespace, name: name)
            } catch {
                sync.note(.warning("FailedGet", "Get job: \(APIErrors.message(error))"))
                return error
            }
            if let error = await delete(current, context: context) {
                sync.deleteFailed(APIErrors.message(error))
                return WorkloadError("could not replace job \(namespace ?? "")/\(name)")
            }
            sync.deleted(current)
        }
        let namespace = ObjectMetadata.namespace(job)
        do {
            let created = try await context.api.create(BuiltinResources.jobs, namespace: namespace, job)
            sync.started(created, at: scheduledTime)
        } catch where APIErrors.isAlreadyExists(error) {
            // Made by an earlier attempt that could not record it, or by someone else.
            do {
                let existing = try await context.api.get(BuiltinResources.jobs, namespace: namespace, name: ObjectMetadata.name(job))
                let ours = OwnerReferences.isControlled(existing, by: sync.cronJob)
                let listed = sync.active.contains { $0["uid"]?.string == ObjectMetadata.uid(existing) }
                if ours, !listed { sync.started(existing, at: scheduledTime, alreadyExisted: true) }
            } catch {
                return error
            }
        } catch where APIErrors.isNamespaceTerminating(error) {
            return error
        } catch {
            sync.note(.warning("FailedCreate", "Error creating job: \(APIErrors.message(error))"))
            return error
        }
        return nil
    }

    /// DELETE with background propagation (`realJobControl.DeleteJob`); nil when done or gone.
    private func delete(_ job: JSONValue, context: ControllerContext) async -> (any Error)? {
        do {
            try await context.api.delete(BuiltinResources.jobs, namespace: ObjectMetadata.namespace(job),
                                         name: ObjectMetadata.name(job), options: KubeDeleteOptions(propagationPolicy: "Background"))
            return nil
        } catch {
            return APIErrors.isNotFound(error) ? nil : error
        }
    }
}
