import Foundation
import KubeCore

/// The order in which a Job gives up active pods, upstream's `controller.ActivePods` (the
/// Job controller does not rank by deletion cost or node spread as ReplicaSets do):
/// unscheduled, then Pending before Unknown before Running, not ready before ready, ready for
/// less time, more restarts, and newer first.
enum JobPodRemovalOrder {
    /// `pods` with the first to remove at the front.
    static func sorted(_ pods: [JSONValue]) -> [JSONValue] { pods.sorted(by: precedes) }

    /// Whether `a` goes before `b`.
    static func precedes(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let stageA = stage(a), stageB = stage(b)
        if stageA != stageB { return stageA < stageB }
        if stageA.ready == 1, let newer = laterOrMissingFirst(PodReadiness.readyTime(a), PodReadiness.readyTime(b)) {
            return newer
        }
        let restartsA = PodReadiness.maxContainerRestarts(a), restartsB = PodReadiness.maxContainerRestarts(b)
        if restartsA != restartsB { return restartsA > restartsB }
        return laterOrMissingFirst(PodReadiness.creationTime(a), PodReadiness.creationTime(b)) ?? false
    }

    /// How far a pod has come: scheduled, its phase (Pending, Unknown, Running), ready; each
    /// 0 or more, compared in that order.
    static func stage(_ pod: JSONValue) -> (scheduled: Int, phase: Int, ready: Int) {
        (PodReadiness.nodeName(pod).isEmpty ? 0 : 1, PodDeletionOrder.phaseOrdinal(pod), PodReadiness.isReady(pod) ? 1 : 0)
    }

    /// `afterOrZero` for two different times; nil when they are equal.
    static func laterOrMissingFirst(_ first: Date?, _ second: Date?) -> Bool? {
        guard first != second else { return nil }
        guard let first, let second else { return first == nil }
        return first > second
    }
}
