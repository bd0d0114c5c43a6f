import Foundation
import KubeCore

/// The counts and revisions a StatefulSet reports in `status`, as upstream's
/// `computeReplicaStatus`, `completeRollingUpdate` and `inconsistentStatus` compute them.
public struct StatefulSetStatus: Sendable, Equatable {
    /// `observedGeneration`.
    public var observedGeneration = 0
    /// `replicas`: pods that exist (have a phase).
    public var replicas = 0
    /// `readyReplicas`: Running and Ready.
    public var readyReplicas = 0
    /// `availableReplicas`: ready for minReadySeconds.
    public var availableReplicas = 0
    /// `currentReplicas`: pods at the current revision.
    public var currentReplicas = 0
    /// `updatedReplicas`: pods at the update revision.
    public var updatedReplicas = 0
    /// `currentRevision`.
    public var currentRevision = ""
    /// `updateRevision`.
    public var updateRevision = ""
    /// `collisionCount`.
    public var collisionCount = 0

    /// An empty status.
    public init() {}

    /// The status written in `set` (missing fields read as zero).
    public init(of set: JSONValue) {
        let status = set["status"] ?? .object([:])
        observedGeneration = status["observedGeneration"]?.int ?? 0
        replicas = status["replicas"]?.int ?? 0
        readyReplicas = status["readyReplicas"]?.int ?? 0
        availableReplicas = status["availableReplicas"]?.int ?? 0
        currentReplicas = status["currentReplicas"]?.int ?? 0
        updatedReplicas = status["updatedReplicas"]?.int ?? 0
        currentRevision = status["currentRevision"]?.string ?? ""
        updateRevision = status["updateRevision"]?.string ?? ""
        collisionCount = status["collisionCount"]?.int ?? 0
    }

    /// Counts `pods` (`computeReplicaStatus`), keeping the other fields.
    public mutating func count(_ pods: [JSONValue], minReadySeconds: Int, now: Date) {
        replicas = 0; readyReplicas = 0; availableReplicas = 0; currentReplicas = 0; updatedReplicas = 0
        for pod in pods {
            let created = StatefulPodState.isCreated(pod)
            if created { replicas += 1 }
            if StatefulPodState.isRunningAndReady(pod) {
                readyReplicas += 1
                if StatefulPodState.isAvailable(pod, minReadySeconds: minReadySeconds, now: now) { availableReplicas += 1 }
            }
            if created && !PodReadiness.isTerminating(pod) {
                let revision = StatefulPodIdentity.revision(of: pod)
                if revision == currentRevision { currentReplicas += 1 }
                if revision == updateRevision { updatedReplicas += 1 }
            }
        }
    }

    /// `completeRollingUpdate`: once every replica is updated and ready, the update revision
    /// becomes the current one.
    public mutating func completeRollingUpdate(_ spec: StatefulSetSpec) {
        if spec.updateStrategy == "RollingUpdate", updatedReplicas == spec.replicas, readyReplicas == spec.replicas,
           replicas == spec.replicas {
            currentReplicas = updatedReplicas
            currentRevision = updateRevision
        }
    }

    /// `inconsistentStatus`: whether this differs from what `set` reports, so it must be written.
    public func differs(from set: JSONValue) -> Bool {
        let old = StatefulSetStatus(of: set)
        return observedGeneration > old.observedGeneration || replicas != old.replicas
            || currentReplicas != old.currentReplicas || readyReplicas != old.readyReplicas
            || updatedReplicas != old.updatedReplicas || currentRevision != old.currentRevision
            || availableReplicas != old.availableReplicas || updateRevision != old.updateRevision
            || collisionCount != old.collisionCount
    }

    /// `set`'s status with these fields, as apps/v1 serialises them (zeroes of `omitempty`
    /// fields left out, `replicas` and `availableReplicas` always present). Other fields of the
    /// old status, such as conditions, are kept.
    public func json(over set: JSONValue) -> JSONValue {
        var status = set["status"]?.object ?? [:]
        func put(_ key: String, _ value: Int, always: Bool = false) {
            status[key] = value == 0 && !always ? nil : .integer(value)
        }
        put("observedGeneration", observedGeneration)
        put("replicas", replicas, always: true)
        put("readyReplicas", readyReplicas)
        put("currentReplicas", currentReplicas)
        put("updatedReplicas", updatedReplicas)
        put("availableReplicas", availableReplicas, always: true)
        put("collisionCount", collisionCount, always: true)
        status["currentRevision"] = currentRevision.isEmpty ? nil : .string(currentRevision)
        status["updateRevision"] = updateRevision.isEmpty ? nil : .string(updateRevision)
        return .object(status)
    }
}
