import Foundation
import KubeClient
import KubeCore

/// kube-controller-manager's `statefulset-controller` (upstream's `StatefulSetController` with
/// its `defaultStatefulSetControl`): pods `<set>-<ordinal>` with stable identity and claims,
/// OrderedReady or Parallel management, RollingUpdate with a partition or OnDelete, template
/// history in ControllerRevisions, and the counts and revisions in `status`.
public struct StatefulSetReconciler: Reconciler {
    /// The catalogue entry: `statefulset-controller`, also accepted as `statefulset`.
    public static let descriptor = ControllerDescriptor(StatefulSetWellKnown.component, aliases: ["statefulset"]) { context in
        let own = context.reporting(as: StatefulSetWellKnown.component)
        return [ControllerLoop(name: StatefulSetWellKnown.component, reconciler: StatefulSetReconciler(informers: own.informers),
                               context: own)]
    }

    private let informers: InformerFactory

    /// A reconciler reading `informers`.
    public init(informers: InformerFactory) {
        self.informers = informers
    }

    public var primary: ResourceType { BuiltinResources.statefulSets }

    public var secondary: [SecondaryWatch] {
        let sets = informers.informer(BuiltinResources.statefulSets)
        return [
            .owner(BuiltinResources.pods, kind: "StatefulSet", orSelecting: sets),
            .owner(BuiltinResources.controllerRevisions, kind: "StatefulSet", orSelecting: sets),
            // A claim appearing or changing owners may unblock a pod waiting for it.
            SecondaryWatch(BuiltinResources.persistentVolumeClaims) { claim in
                OwnerReferences.all(of: claim).filter { $0.kind == "StatefulSet" }
                    .map { ObjectKey(namespace: ObjectMetadata.namespace(claim), name: $0.name) }
            },
        ]
    }

    public func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        guard let set = context.informer(BuiltinResources.statefulSets).get(key) else { return .done }
        // A selector that does not parse (or is absent) will not parse on a retry either.
        guard let selector = try? LabelSelector(json: set[path: ["spec", "selector"]] ?? .null),
              !selector.matchesNothing else { return .done }
        let spec = StatefulSetSpec(set)
        let namespace = spec.namespace
        let revisionClaimer = ControllerRefClaimer(api: context.api, controller: set, controllerType: BuiltinResources.statefulSets,
                                                   ownedType: BuiltinResources.controllerRevisions)
        let revisions = try await revisionClaimer.claim(context.informer(BuiltinResources.controllerRevisions).list(namespace: namespace)) {
            selector.matches(ObjectMetadata.labels($0))
        }
        let podClaimer = ControllerRefClaimer(api: context.api, controller: set, controllerType: BuiltinResources.statefulSets,
                                              ownedType: BuiltinResources.pods)
        let pods = try await podClaimer.claim(context.informer(BuiltinResources.pods).list(namespace: namespace)) {
            selector.matches(ObjectMetadata.labels($0)) && StatefulPodIdentity.isMember($0, of: spec)
        }

        let (current, update, collisionCount) = try await resolveRevisions(set, revisions: revisions, context: context)
        let claims = context.informer(BuiltinResources.persistentVolumeClaims)
        var plan = StatefulSetPlanner.plan(set: set, pods: pods, currentRevision: current, updateRevision: update,
                                           collisionCount: collisionCount, claims: { claims.get(ObjectKey(namespace: namespace, name: $0)) },
                                           now: context.now())
        let failure = await run(plan, set: set, context: context)

        plan.status.completeRollingUpdate(spec)
        var errors: [any Error] = failure.map { [$0] } ?? []
        if plan.status.differs(from: set) {
            do { try await writeStatus(plan.status, of: set, context: context) } catch { errors.append(error) }
        }
        for revision in StatefulSetRevisions.toTruncate(set, pods: pods, revisions: revisions, current: current, update: update) {
            do {
                try await context.api.delete(BuiltinResources.controllerRevisions, namespace: namespace,
                                             name: ObjectMetadata.name(revision), options: KubeDeleteOptions())
            } catch where !APIErrors.isNotFound(error) {
                errors.append(error)
            }
        }
        if let first = errors.first { throw first }
        // One more sync once minReadySeconds have passed, so availability is seen without an event.
        if spec.minReadySeconds > 0, plan.status.availableReplicas != spec.replicas { return .requeue(after: .seconds(spec.minReadySeconds)) }
        return .done
    }

    /// Runs the plan's phases in order, stopping at the first failure, which it returns. With
    /// Parallel management a phase's entries run side by side in slow-start batches.
    private func run(_ plan: StatefulSetPlan, set: JSONValue, context: ControllerContext) async -> (any Error)? {
        let control = StatefulPodControl(set: set, context: context)
        let parallel = StatefulSetSpec(set).parallel
        for phase in plan.phases where !phase.isEmpty {
            if parallel {
                let (_, error) = await SlowStartBatch.run(over: phase) { entry in
                    for action in entry { try await control.run(action) }
                }
                if let error { return error }
            } else {
                do {
                    for entry in phase { for action in entry { try await control.run(action) } }
                } catch {
                    return error
                }
            }
        }
        return nil
    }

    /// `getStatefulSetRevisions`: the current revision, the update revision (made, or an older
    /// one renumbered, when the template changed) and the collision count used.
    private func resolveRevisions(_ set: JSONValue, revisions: [JSONValue],
                                  context: ControllerContext) async throws -> (JSONValue, JSONValue, Int) {
        var collisionCount = set[path: ["status", "collisionCount"]]?.int ?? 0
        let namespace = ObjectMetadata.namespace(set)
        let type = BuiltinResources.controllerRevisions
        var update: JSONValue
        switch StatefulSetRevisions.updateStep(set, revisions: revisions, collisionCount: collisionCount) {
        case .existing(let revision):
            update = revision
        case .renumber(var revision, let number):
            revision["revision"] = .integer(number)
            update = try await context.api.update(type, namespace: namespace, revision)
        case .create(var candidate):
            // `CreateControllerRevision`: a name taken by different data is a hash collision.
            while true {
                do {
                    update = try await context.api.create(type, namespace: namespace, candidate)
                    break
                } catch where APIErrors.isAlreadyExists(error) {
                    let existing = try await context.api.get(type, namespace: namespace, name: ObjectMetadata.name(candidate))
                    if ControllerHistory.equal(existing, candidate) {
                        update = existing
                        break
                    }
                    collisionCount += 1
                    candidate = StatefulSetRevisions.candidate(set, number: ControllerHistory.number(candidate),
                                                               collisionCount: collisionCount)
                }
            }
        }
        let current = StatefulSetRevisions.current(set, revisions: revisions) ?? update
        return (current, update, collisionCount)
    }

    /// `UpdateStatefulSetStatus`: PUT of the status, retried once on a fresh copy.
    private func writeStatus(_ status: StatefulSetStatus, of set: JSONValue, context: ControllerContext) async throws {
        let namespace = ObjectMetadata.namespace(set)
        var updated = set
        updated["status"] = status.json(over: set)
        do {
            _ = try await context.api.updateStatus(BuiltinResources.statefulSets, namespace: namespace, updated)
        } catch where APIErrors.isConflict(error) {
            var fresh = try await context.api.get(BuiltinResources.statefulSets, namespace: namespace, name: ObjectMetadata.name(set))
            fresh["status"] = status.json(over: fresh)
            _ = try await context.api.updateStatus(BuiltinResources.statefulSets, namespace: namespace, fresh)
        }
    }
}
