import KubeClient
import KubeCore

/// The Job controller's pod writes, with the events upstream's `RealPodControl` records about
/// the Job: creations in slow-start batches, deletions, and release of the tracking finalizer.
struct JobPodControl: Sendable {
    /// The Job the pods belong to (the events' object).
    let job: JSONValue
    /// Where the writes and events go.
    let context: ControllerContext

    /// Runs `actions`; returns what succeeded and the first failure.
    func run(_ actions: JobPodActions) async -> (outcome: JobPodOutcome, error: (any Error)?) {
        if !actions.delete.isEmpty {
            let (deleted, error) = await delete(actions.delete, release: actions.releaseBeforeDelete)
            return (JobPodOutcome(created: 0, deleted: deleted), error)
        }
        let pending = PodQueue(actions.create)
        let (created, error) = await SlowStartBatch.run(actions.create.count) {
            try await create(await pending.next())
        }
        return (JobPodOutcome(created: created, deleted: []), error)
    }

    /// `CreatePodsWithGenerateName`, and `SuccessfulCreate` or `FailedCreate`. A namespace being
    /// deleted refuses every create; that is no failure worth an event or a retry.
    func create(_ pod: JSONValue) async throws {
        do {
            let created = try await context.api.create(BuiltinResources.pods, namespace: ObjectMetadata.namespace(job), pod)
            context.events.record(job, type: "Normal", reason: "SuccessfulCreate",
                                  message: "Created pod: \(ObjectMetadata.name(created))")
        } catch where APIErrors.isNamespaceTerminating(error) {
            return
        } catch {
            context.events.record(job, type: "Warning", reason: "FailedCreate", message: "Error creating: \(APIErrors.message(error))")
            throw error
        }
    }

    /// Deletes `pods` at once, first releasing their finalizer when `release` is set
    /// (`deleteJobPods`) or keeping it so they are still counted (`deleteActivePods`). A pod
    /// already gone counts as deleted.
    func delete(_ pods: [JSONValue], release: Bool) async -> (deleted: [JSONValue], error: (any Error)?) {
        await withTaskGroup(of: (JSONValue, (any Error)?).self) { group in
            for pod in pods {
                group.addTask {
                    do {
                        if release, JobPodState.hasTrackingFinalizer(pod) { try await releaseFinalizer(pod) }
                        try await deleteOne(pod)
                        return (pod, nil)
                    } catch {
                        return (pod, APIErrors.isNotFound(error) ? nil : error)
                    }
                }
            }
            var deleted: [JSONValue] = []
            var first: (any Error)?
            for await (pod, error) in group {
                if let error { first = first ?? error } else { deleted.append(pod) }
            }
            return (deleted, first)
        }
    }

    /// One DELETE with default options, and `SuccessfulDelete` or `FailedDelete`.
    private func deleteOne(_ pod: JSONValue) async throws {
        let name = ObjectMetadata.name(pod)
        do {
            try await context.api.delete(BuiltinResources.pods, namespace: ObjectMetadata.namespace(pod), name: name,
                                         options: KubeDeleteOptions())
            context.events.record(job, type: "Normal", reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
        } catch where !APIErrors.isNotFound(error) {
            context.events.record(job, type: "Warning", reason: "FailedDelete", message: "Error deleting: \(APIErrors.message(error))")
            throw error
        }
    }

    /// Removes the tracking finalizer from each pod; returns the uids released (or gone) and
    /// the first failure.
    func release(_ pods: [JSONValue]) async -> (released: Set<String>, error: (any Error)?) {
        await withTaskGroup(of: (String, (any Error)?).self) { group in
            for pod in pods {
                group.addTask {
                    do {
                        try await releaseFinalizer(pod)
                        return (JobPodState.uid(pod), nil)
                    } catch {
                        return (JobPodState.uid(pod), APIErrors.isNotFound(error) ? nil : error)
                    }
                }
            }
            var released: Set<String> = []
            var first: (any Error)?
            for await (uid, error) in group {
                if let error { first = first ?? error } else { released.insert(uid) }
            }
            return (released, first)
        }
    }

    /// The strategic merge patch upstream sends (`removeTrackingFinalizerPatch`).
    private func releaseFinalizer(_ pod: JSONValue) async throws {
        try await Self.releaseFinalizer(of: pod, api: context.api)
    }

    /// Removes `batch.kubernetes.io/job-tracking` from `pod`, leaving other finalizers alone.
    static func releaseFinalizer(of pod: JSONValue, api: any KubeAPI) async throws {
        let patch: JSONValue = .object(["metadata": .object([
            "$deleteFromPrimitiveList/finalizers": .array([.string(JobWellKnown.trackingFinalizer)]),
        ])])
        _ = try await api.patch(BuiltinResources.pods, namespace: ObjectMetadata.namespace(pod),
                                name: ObjectMetadata.name(pod), patch, kind: .strategicMerge, subresource: nil)
    }
}

/// Hands out pods to create one at a time to concurrent creators.
private actor PodQueue {
    private var pods: [JSONValue]

    init(_ pods: [JSONValue]) { self.pods = pods.reversed() }

    func next() -> JSONValue { pods.popLast() ?? .null }
}
