import Foundation
import KubeCore

/// The `status` a ReplicaSet or ReplicationController reports, as upstream's `calculateStatus`
/// and `updateReplicaSetStatus` compute and compare it.
public enum ReplicaSetStatus {
    /// The condition type that reports failed pod creations or deletions.
    public static let replicaFailure = "ReplicaFailure"

    /// The new status of `object` owning the active `pods`. `manageError` is the message of the
    /// error creating or deleting pods in this sync, which sets a `ReplicaFailure` condition
    /// (reason `FailedCreate` or `FailedDelete`); a sync without one clears it.
    public static func calculate(_ object: JSONValue, pods: [JSONValue], flavor: ReplicaSetFlavor,
                                 manageError: String?, now: Date) -> JSONValue {
        let templateLabels = (object[path: ["spec", "template", "metadata", "labels"]]?.object ?? [:]).compactMapValues(\.string)
        let minReadySeconds = object[path: ["spec", "minReadySeconds"]]?.int ?? 0
        var fullyLabeled = 0, ready = 0, available = 0
        for pod in pods {
            let labels = ObjectMetadata.labels(pod)
            if templateLabels.allSatisfy({ labels[$0.key] == $0.value }) { fullyLabeled += 1 }
            if PodReadiness.isReady(pod) {
                ready += 1
                if PodReadiness.isAvailable(pod, minReadySeconds: minReadySeconds, now: now) { available += 1 }
            }
        }
        var status = object["status"]?.object ?? [:]
        var conditions = WorkloadCondition.list(in: object["status"])
        let failure = conditions.condition(replicaFailure)
        if let manageError, failure == nil {
            let diff = pods.count - flavor.replicas(of: object)
            let reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : ""
            conditions.set(WorkloadCondition(type: replicaFailure, status: "True", reason: reason, message: manageError,
                                             lastTransitionTime: KubeTime.rfc3339(now)), keepingTransitionTime: false)
        } else if manageError == nil, failure != nil {
            conditions.remove(replicaFailure)
        }
        status["conditions"] = conditions.isEmpty ? nil : conditions.json
        status["replicas"] = .integer(pods.count)
        status["fullyLabeledReplicas"] = omittingZero(fullyLabeled)
        status["readyReplicas"] = omittingZero(ready)
        status["availableReplicas"] = omittingZero(available)
        return .object(status)
    }

    /// Whether `newStatus` differs from what `object` reports, or the spec has changed since the
    /// status was written (upstream's steady-state check before `UpdateStatus`).
    public static func needsUpdate(_ object: JSONValue, newStatus: JSONValue) -> Bool {
        let old = object["status"] ?? .object([:])
        for field in ["replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas"]
            where (old[field]?.int ?? 0) != (newStatus[field]?.int ?? 0) { return true }
        if ObjectMetadata.generation(object) != (old["observedGeneration"]?.int ?? 0) { return true }
        return WorkloadCondition.list(in: old) != WorkloadCondition.list(in: newStatus)
    }

    /// `object` carrying `newStatus`, stamped with the generation it was computed from.
    public static func applying(_ newStatus: JSONValue, to object: JSONValue) -> JSONValue {
        var status = newStatus
        let generation = ObjectMetadata.generation(object)
        status["observedGeneration"] = omittingZero(generation)
        var updated = object
        updated["status"] = status
        return updated
    }

    /// How long to wait before looking again so a ready pod is counted available once it has
    /// been ready for `minReadySeconds`, even without another event: upstream requeues after
    /// minReadySeconds (plus a second against clock skew) when a pod turns ready.
    public static func availabilityRecheck(_ object: JSONValue, pods: [JSONValue], now: Date) -> Duration? {
        let minReadySeconds = object[path: ["spec", "minReadySeconds"]]?.int ?? 0
        guard minReadySeconds > 0 else { return nil }
        let waits = pods.compactMap { pod -> TimeInterval? in
            guard let since = PodReadiness.readyTime(pod),
                  !PodReadiness.isAvailable(pod, minReadySeconds: minReadySeconds, now: now) else { return nil }
            return since.addingTimeInterval(TimeInterval(minReadySeconds)).timeIntervalSince(now)
        }
        guard let soonest = waits.min() else { return nil }
        return .milliseconds(Int(max(0, soonest) * 1000) + 1000)
    }

    /// An integer field as Go's `omitempty` writes it: absent when zero.
    static func omittingZero(_ value: Int) -> JSONValue? { value == 0 ? nil : .integer(value) }
}
