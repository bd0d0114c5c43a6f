import Foundation
import KubeClient
import KubeCore

/// kube-controller-manager's `daemonset-controller` (upstream's `DaemonSetsController`): one
/// pod per eligible node, pinned there by node affinity so the scheduler binds it; template
/// history in ControllerRevisions; RollingUpdate (maxUnavailable, maxSurge) and OnDelete; and
/// the counts in `status`.
public struct DaemonSetReconciler: Reconciler {
    /// The catalogue entry: `daemonset-controller`, also accepted as `daemonset`.
    public static let descriptor = ControllerDescriptor("daemonset-controller", aliases: ["daemonset"]) { context in
        let own = context.reporting(as: DaemonSetWellKnown.component)
        let reconciler = DaemonSetReconciler(informers: own.informers, clock: { own.now() })
        return [ControllerLoop(name: "daemonset-controller", reconciler: reconciler, context: own)]
    }

    /// Writes made and not yet seen in the pod cache, per DaemonSet.
    let expectations: PodWriteExpectations
    /// How long a node's failing daemon pod waits before it is replaced again.
    let backoff = FailedPodBackoff()
    private let informers: InformerFactory

    /// A reconciler reading `informers`.
    public init(informers: InformerFactory, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.informers = informers
        self.expectations = PodWriteExpectations(clock: clock)
    }

    public var primary: ResourceType { BuiltinResources.daemonSets }

    public var secondary: [SecondaryWatch] {
        let daemonSets = informers.informer(BuiltinResources.daemonSets)
        return [
            .owner(BuiltinResources.pods, kind: "DaemonSet", orSelecting: daemonSets),
            .owner(BuiltinResources.controllerRevisions, kind: "DaemonSet", orSelecting: daemonSets),
            // A node appearing, changing labels or taints, or going, may change every DaemonSet.
            SecondaryWatch(BuiltinResources.nodes) { _ in daemonSets.list().map { ObjectKey($0) } },
        ]
    }

    public func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        guard let daemonSet = context.informer(BuiltinResources.daemonSets).get(key) else {
            expectations.forget(key)
            return .done
        }
        let nodes = context.informer(BuiltinResources.nodes).list()
        // A selector that does not parse, or is absent, selects nothing; the apiserver should have
        // refused it, and pods made for it could never be counted.
        guard let selector = try? LabelSelector(json: daemonSet[path: ["spec", "selector"]] ?? .null),
              !selector.matchesNothing else { return .done }
        if selector.isEverything {
            context.events.record(daemonSet, type: "Warning", reason: DaemonSetWellKnown.Reason.selectingAll,
                                  message: "This daemon set is selecting all pods. A non-empty selector is required.")
            return .done
        }
        // Owned history and pods may be gone or orphaned while the set is deleted: no status.
        if ObjectMetadata.isDeleting(daemonSet) { return .done }

        let history = DaemonSetHistoryControl(daemonSet: daemonSet, selector: selector, context: context)
        let (current, old) = try await history.construct()
        let hash = DaemonSetHistory.hash(of: current)
        let pods = context.informer(BuiltinResources.pods)
        var requeue: Duration?

        var failure: (any Error)?
        let synced = expectations.satisfied(key, pods: pods)
        if synced {
            do {
                requeue = try await update(daemonSet, key: key, nodes: nodes, selector: selector, hash: hash, context: context)
                try await history.cleanUp(old: old, pods: try await claimPods(daemonSet, selector: selector, context: context))
            } catch {
                failure = error
            }
        }
        let claimed = try await claimPods(daemonSet, selector: selector, context: context)
        let status = DaemonSetStatus(daemonSet: daemonSet, nodes: nodes, podsByNode: DaemonPodsByNode(claimed), hash: hash,
                                     now: context.now())
        if status.differs(from: daemonSet, observeGeneration: synced) {
            try await writeStatus(status, of: daemonSet, observeGeneration: synced, context: context)
        }
        if let failure { throw failure }
        let minReady = DaemonSetSpec(daemonSet).minReadySeconds
        if minReady > 0 && status.numberReady != status.numberAvailable {
            requeue = min(requeue ?? .seconds(minReady), .seconds(minReady))
        }
        // Writes not yet in the cache: look again even if their events were missed.
        if !expectations.satisfied(key, pods: pods) { requeue = min(requeue ?? .seconds(5), .seconds(5)) }
        return requeue.map { .requeue(after: $0) } ?? .done
    }

    /// `updateDaemonSet`: manage the pods on every node, then the rolling update once the
    /// cache shows what manage did. Returns when to look again for a failed pod in back-off.
    private func update(_ daemonSet: JSONValue, key: ObjectKey, nodes: [JSONValue], selector: LabelSelector, hash: String,
                        context: ControllerContext) async throws -> Duration? {
        let uid = ObjectMetadata.uid(daemonSet)
        let generation = daemonSet[path: ["status", "observedGeneration"]]?.int ?? 0
        let backoffKey = { (node: String) in "\(uid)/\(generation)/\(node)" }
        let now = context.now()
        var podsByNode = DaemonPodsByNode(try await claimPods(daemonSet, selector: selector, context: context))
        let manage = DaemonSetManage(daemonSet: daemonSet, nodes: nodes, podsByNode: podsByNode, hash: hash, now: now) {
            backoff.isBackingOff(backoffKey($0), now: now)
        }
        for node in manage.failedPodNodes { backoff.next(backoffKey(node), now: now) }
        for event in manage.events { event.record(about: daemonSet, with: context.events) }
        try await syncNodes(daemonSet, key: key, delete: manage.podsToDelete, create: manage.nodesNeedingPods,
                            hash: hash, context: context)
        let requeue = manage.backingOffNodes.map { backoff.delay(backoffKey($0)) }.min()

        let spec = DaemonSetSpec(daemonSet)
        guard spec.updateStrategy == "RollingUpdate",
              expectations.satisfied(key, pods: context.informer(BuiltinResources.pods)) else { return requeue }
        podsByNode = DaemonPodsByNode(try await claimPods(daemonSet, selector: selector, context: context))
        let rolling = DaemonSetRollingUpdate(daemonSet: daemonSet, nodes: nodes, podsByNode: podsByNode, hash: hash,
                                             now: context.now())
        try await syncNodes(daemonSet, key: key, delete: rolling.podsToDelete, create: rolling.nodesToCreate,
                            hash: hash, context: context)
        return requeue
    }

    /// `syncNodes`: up to `BurstReplicas` creations in slow-start batches, each pod pinned to its
    /// node, and up to as many deletions at once. Throws the first failure.
    private func syncNodes(_ daemonSet: JSONValue, key: ObjectKey, delete: [JSONValue], create: [String], hash: String,
                           context: ControllerContext) async throws {
        guard !delete.isEmpty || !create.isEmpty else { return }
        let control = PodControl(owner: daemonSet, context: context)
        let template = DaemonPodTemplate.template(daemonSet[path: ["spec", "template"]] ?? .object([:]),
                                                  generation: DaemonSetSpec(daemonSet).templateGeneration, hash: hash)
        let expectations = expectations
        let (_, createError) = await SlowStartBatch.run(over: Array(create.prefix(DaemonSetWellKnown.burstReplicas))) { node in
            var pinned = template
            pinned["spec"] = DaemonPodTemplate.pinning(template["spec"] ?? .object([:]), to: node)
            let pod = PodFromTemplate.pod(template: pinned, owner: daemonSet, ownerType: BuiltinResources.daemonSets)
            let created = try await control.create(pod)
            expectations.expect(key, created: [ObjectKey(created)], deleted: [])
        }
        let deleteError = await withTaskGroup(of: (any Error)?.self) { group in
            for pod in delete.prefix(DaemonSetWellKnown.burstReplicas) {
                group.addTask {
                    do {
                        try await control.delete(pod)
                        expectations.expect(key, created: [], deleted: [ObjectKey(pod)])
                        return nil
                    } catch {
                        return APIErrors.isNotFound(error) ? nil : error
                    }
                }
            }
            var first: (any Error)?
            for await error in group where first == nil { first = error }
            return first
        }
        if let error = createError.flatMap({ APIErrors.isNamespaceTerminating($0) ? nil : $0 }) ?? deleteError { throw error }
    }

    /// `getDaemonPods`: the namespace's pods this DaemonSet controls, adopting matching orphans
    /// and releasing pods that stopped matching.
    private func claimPods(_ daemonSet: JSONValue, selector: LabelSelector, context: ControllerContext) async throws -> [JSONValue] {
        let candidates = context.informer(BuiltinResources.pods).list(namespace: ObjectMetadata.namespace(daemonSet))
        let claimer = ControllerRefClaimer(api: context.api, controller: daemonSet, controllerType: BuiltinResources.daemonSets,
                                           ownedType: BuiltinResources.pods)
        return try await claimer.claim(candidates) { selector.matches(ObjectMetadata.labels($0)) }
    }

    /// `storeDaemonSetStatus`: PUT of the status, with one fresh read and retry on failure.
    private func writeStatus(_ status: DaemonSetStatus, of daemonSet: JSONValue, observeGeneration: Bool,
                             context: ControllerContext) async throws {
        let namespace = ObjectMetadata.namespace(daemonSet)
        var updated = daemonSet
        updated["status"] = status.json(over: daemonSet, observeGeneration: observeGeneration)
        do {
            _ = try await context.api.updateStatus(BuiltinResources.daemonSets, namespace: namespace, updated)
        } catch {
            var fresh = try await context.api.get(BuiltinResources.daemonSets, namespace: namespace, name: ObjectMetadata.name(daemonSet))
            fresh["status"] = status.json(over: fresh, observeGeneration: observeGeneration)
            _ = try await context.api.updateStatus(BuiltinResources.daemonSets, namespace: namespace, fresh)
        }
    }
}
