import Foundation
import KubeCore

/// Upstream's `updateStatefulSet` as a pure function: given a set, its pods, its current and
/// update revisions and its claims, the actions one sync takes and the status it reports.
///
/// With `OrderedReady` (monotonic) management the plan stops at the first pod that blocks:
/// ordinal i is created only once 0…i-1 are Running, Ready and available; scale-down deletes
/// the highest ordinal first, one pod per sync, and only while the others are healthy. With
/// `Parallel` every replica is acted on at once. A rolling update then deletes the highest
/// ordinal at or above the partition that is not at the update revision, one at a time, waiting
/// for each replacement to become available.
public enum StatefulSetPlanner {
    /// The plan for `set` owning `pods`, with `claims` looking PersistentVolumeClaims up by name
    /// in the set's namespace.
    public static func plan(set: JSONValue, pods: [JSONValue], currentRevision: JSONValue, updateRevision: JSONValue,
                            collisionCount: Int, claims: @escaping (String) -> JSONValue?, now: Date) -> StatefulSetPlan {
        let spec = StatefulSetSpec(set)
        var plan = StatefulSetPlan()
        plan.status.observedGeneration = ObjectMetadata.generation(set)
        plan.status.currentRevision = ObjectMetadata.name(currentRevision)
        plan.status.updateRevision = ObjectMetadata.name(updateRevision)
        plan.status.collisionCount = collisionCount
        plan.status.count(pods, minReadySeconds: spec.minReadySeconds, now: now)

        let (replicas, condemned) = partition(set: set, spec: spec, pods: pods,
                                              currentRevision: currentRevision, updateRevision: updateRevision)
        let firstUnavailable = (replicas + condemned.reversed()).first {
            StatefulPodState.isUnavailable($0, minReadySeconds: spec.minReadySeconds, now: now)
        }
        if ObjectMetadata.isDeleting(set) { return plan }

        let context = Context(set: set, spec: spec, claims: claims, now: now, monotonic: !spec.parallel)
        // Live replicas, in ordinal order.
        var entries: [[StatefulSetAction]] = []
        for replica in replicas {
            let (actions, blocks) = context.processReplica(replica)
            if !actions.isEmpty { entries.append(actions) }
            if blocks && context.monotonic {
                plan.phases.append(entries)
                return plan
            }
        }
        plan.phases.append(entries)
        // Claims of pods scaled away get the owner references the policy wants.
        plan.phases.append(condemned.filter { !context.claimsUpToDate($0) }.map { [.updateClaimRetention($0)] })
        // Condemned pods, highest ordinal first.
        entries = []
        for pod in condemned {
            let (action, blocks) = context.processCondemned(pod, firstUnavailable: firstUnavailable)
            if let action { entries.append([action]) }
            if blocks && context.monotonic {
                plan.phases.append(entries)
                return plan
            }
        }
        plan.phases.append(entries)
        guard spec.updateStrategy == "RollingUpdate" else { return plan }
        // The rolling update: the highest ordinal not at the update revision goes first.
        let updateName = ObjectMetadata.name(updateRevision)
        for target in replicas.indices.reversed() where target >= (spec.partition ?? 0) {
            let pod = replicas[target]
            if StatefulPodIdentity.revision(of: pod) != updateName, !PodReadiness.isTerminating(pod) {
                plan.phases.append([[.deletePod(pod)]])
                plan.status.currentReplicas -= 1
                return plan
            }
            if StatefulPodState.isUnavailable(pod, minReadySeconds: spec.minReadySeconds, now: now) { return plan }
        }
        return plan
    }

    /// The pods in ordinal range, one per ordinal, missing ones replaced by placeholders made
    /// at the revision they should have; and the valid-ordinal pods out of range (condemned),
    /// highest ordinal first.
    static func partition(set: JSONValue, spec: StatefulSetSpec, pods: [JSONValue], currentRevision: JSONValue,
                          updateRevision: JSONValue) -> (replicas: [JSONValue], condemned: [JSONValue]) {
        var slots = [JSONValue?](repeating: nil, count: spec.replicas)
        var condemned: [JSONValue] = []
        for pod in pods {
            let ordinal = StatefulPodIdentity.ordinal(of: pod)
            if spec.inRange(ordinal) {
                slots[ordinal - spec.startOrdinal] = pod
            } else if ordinal >= 0 {
                condemned.append(pod)
            }
        }
        let replicas = slots.enumerated().map { index, pod in
            pod ?? placeholder(set: set, spec: spec, ordinal: spec.startOrdinal + index,
                               currentRevision: currentRevision, updateRevision: updateRevision)
        }
        condemned.sort { StatefulPodIdentity.ordinal(of: $0) > StatefulPodIdentity.ordinal(of: $1) }
        return (replicas, condemned)
    }

    /// `newVersionedStatefulSetPod`: ordinals below the partition are made at the current
    /// revision, the rest at the update revision.
    static func placeholder(set: JSONValue, spec: StatefulSetSpec, ordinal: Int, currentRevision: JSONValue,
                            updateRevision: JSONValue) -> JSONValue {
        if spec.updateStrategy == "RollingUpdate", let partition = spec.partition, ordinal < spec.startOrdinal + partition {
            return StatefulPodIdentity.newPod(ControllerHistory.apply(currentRevision, to: set), ordinal: ordinal,
                                              revision: ObjectMetadata.name(currentRevision))
        }
        return StatefulPodIdentity.newPod(ControllerHistory.apply(updateRevision, to: set), ordinal: ordinal,
                                          revision: ObjectMetadata.name(updateRevision))
    }

    /// What the per-pod steps read.
    private struct Context {
        let set: JSONValue
        let spec: StatefulSetSpec
        let claims: (String) -> JSONValue?
        let now: Date
        let monotonic: Bool

        /// `processReplica`: the actions for one replica, and whether a monotonic sync stops here.
        func processReplica(_ pod: JSONValue) -> ([StatefulSetAction], Bool) {
            if StatefulPodState.hasFinished(pod) {
                // A failed or succeeded pod is deleted and made again on a later sync.
                return (PodReadiness.isTerminating(pod) ? [] : [.deletePod(pod)], true)
            }
            var actions: [StatefulSetAction] = []
            if !StatefulPodState.isCreated(pod) {
                if claimIsStale(pod) { return ([], true) }
                // A new pod blocks the ordered sync; in parallel its placeholder already fits.
                return ([.createPod(pod)], true)
            }
            if PodReadiness.phase(pod) == "Pending", !claimsComplete(pod) || !claimsUpToDate(pod) {
                actions.append(.createMissingClaims(pod))
            }
            if monotonic {
                if PodReadiness.isTerminating(pod) || !StatefulPodState.isRunningAndReady(pod)
                    || !StatefulPodState.isAvailable(pod, minReadySeconds: spec.minReadySeconds, now: now) {
                    return (actions, true)
                }
            }
            // Claims just given their owner references read stale from the cache: only a
            // pod whose identity or volumes are off needs writing back then.
            let retentionPending = actions.isEmpty && !claimsUpToDate(pod)
            if !StatefulPodIdentity.identityMatches(pod, set: spec) || !StatefulPodIdentity.storageMatches(pod, set: spec)
                || retentionPending {
                actions.append(.updatePod(pod))
            }
            return (actions, false)
        }

        /// `processCondemned`: whether to delete a pod scaled away, and whether an ordered sync
        /// stops here (it always does after a deletion: one pod per sync).
        func processCondemned(_ pod: JSONValue, firstUnavailable: JSONValue?) -> (StatefulSetAction?, Bool) {
            if PodReadiness.isTerminating(pod) { return (nil, true) }
            let isFirstUnavailable = firstUnavailable.map { ObjectMetadata.name($0) == ObjectMetadata.name(pod) } ?? false
            if monotonic, !isFirstUnavailable,
               !StatefulPodState.isRunningAndReady(pod) || !StatefulPodState.isAvailable(pod, minReadySeconds: spec.minReadySeconds, now: now) {
                return (nil, true)
            }
            return (.deletePod(pod), true)
        }

        /// Whether every claim of the pod exists.
        func claimsComplete(_ pod: JSONValue) -> Bool {
            StatefulPodIdentity.claims(spec, ordinal: StatefulPodIdentity.ordinal(of: pod)).allSatisfy {
                claims(ObjectMetadata.name($0.claim)) != nil
            }
        }

        /// `ClaimsMatchRetentionPolicy`: every existing claim has the owner references the
        /// policy wants (missing ones are picked up later).
        func claimsUpToDate(_ pod: JSONValue) -> Bool {
            StatefulPodIdentity.claims(spec, ordinal: StatefulPodIdentity.ordinal(of: pod)).allSatisfy { entry in
                guard let claim = claims(ObjectMetadata.name(entry.claim)) else { return true }
                return StatefulClaimRetention.isUpToDate(claim, set: set, pod: pod)
            }
        }

        /// `PodClaimIsStale`.
        func claimIsStale(_ pod: JSONValue) -> Bool {
            StatefulPodIdentity.claims(spec, ordinal: StatefulPodIdentity.ordinal(of: pod)).contains { entry in
                guard let claim = claims(ObjectMetadata.name(entry.claim)) else { return false }
                return StatefulClaimRetention.isStale(claim, set: set, pod: pod)
            }
        }
    }
}
