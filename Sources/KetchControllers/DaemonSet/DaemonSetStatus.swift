import Foundation
import KubeCore

/// The counts a DaemonSet reports in `status`, as upstream's `updateDaemonSetStatus` computes
/// them: per node that should run the pod, whether it has one, and whether the oldest of its
/// pods is ready, available and at the current revision.
public struct DaemonSetStatus: Sendable, Equatable {
    /// `desiredNumberScheduled`: nodes that should run the pod.
    public var desiredNumberScheduled = 0
    /// `currentNumberScheduled`: of those, nodes that have one.
    public var currentNumberScheduled = 0
    /// `numberMisscheduled`: nodes that have one but should not.
    public var numberMisscheduled = 0
    /// `numberReady`.
    public var numberReady = 0
    /// `updatedNumberScheduled`: nodes whose pod is at the current revision.
    public var updatedNumberScheduled = 0
    /// `numberAvailable`: ready for minReadySeconds.
    public var numberAvailable = 0
    /// `numberUnavailable`: desired minus available.
    public var numberUnavailable = 0

    /// The counts for `daemonSet` over `nodes` at revision `hash`.
    public init(daemonSet: JSONValue, nodes: [JSONValue], podsByNode: DaemonPodsByNode, hash: String, now: Date) {
        let spec = DaemonSetSpec(daemonSet)
        for node in nodes {
            let shouldRun = DaemonNodeEligibility(daemonSet: daemonSet, node: node).shouldRun
            let pods = podsByNode.pods[ObjectMetadata.name(node)] ?? []
            guard shouldRun else {
                if !pods.isEmpty { numberMisscheduled += 1 }
                continue
            }
            desiredNumberScheduled += 1
            guard let pod = DaemonPodsByNode.oldestFirst(pods).first else { continue }
            currentNumberScheduled += 1
            if PodReadiness.isReady(pod) {
                numberReady += 1
                if PodReadiness.isAvailable(pod, minReadySeconds: spec.minReadySeconds, now: now) { numberAvailable += 1 }
            }
            if DaemonPodsByNode.isUpdated(pod, hash: hash, generation: spec.templateGeneration) { updatedNumberScheduled += 1 }
        }
        numberUnavailable = desiredNumberScheduled - numberAvailable
    }

    /// Whether `daemonSet` must be written: a count differs, or (when this sync may raise it)
    /// its generation has not been observed (`storeDaemonSetStatus`'s early return).
    public func differs(from daemonSet: JSONValue, observeGeneration: Bool) -> Bool {
        let old = daemonSet["status"] ?? .object([:])
        let observed = old["observedGeneration"]?.int ?? 0
        return fields.contains { (old[$0.key]?.int ?? 0) != $0.value }
            || (observeGeneration && observed < ObjectMetadata.generation(daemonSet))
    }

    /// `daemonSet`'s status with these counts, and `observedGeneration` raised to the
    /// generation when `observeGeneration`; the four counts apps/v1 always serialises are kept
    /// at zero, the `omitempty` ones dropped.
    public func json(over daemonSet: JSONValue, observeGeneration: Bool) -> JSONValue {
        var status = daemonSet["status"]?.object ?? [:]
        let always: Set = ["desiredNumberScheduled", "currentNumberScheduled", "numberMisscheduled", "numberReady"]
        for (key, value) in fields { status[key] = value == 0 && !always.contains(key) ? nil : .integer(value) }
        if observeGeneration { status["observedGeneration"] = .integer(ObjectMetadata.generation(daemonSet)) }
        return .object(status)
    }

    private var fields: [(key: String, value: Int)] {
        [("desiredNumberScheduled", desiredNumberScheduled), ("currentNumberScheduled", currentNumberScheduled),
         ("numberMisscheduled", numberMisscheduled), ("numberReady", numberReady),
         ("updatedNumberScheduled", updatedNumberScheduled), ("numberAvailable", numberAvailable),
         ("numberUnavailable", numberUnavailable)]
    }
}
