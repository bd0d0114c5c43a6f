import Foundation
import KubeCore

/// The order in which a ReplicaSet gives up pods when it has too many, as upstream's
/// `controller.ActivePodsWithRanks` (1.33, with PodDeletionCost and LogarithmicScaleDown on):
/// the pods cheapest to lose come first.
///
/// 1. unscheduled before scheduled;
/// 2. Pending before Unknown before Running;
/// 3. not ready before ready;
/// 4. lower `controller.kubernetes.io/pod-deletion-cost` first;
/// 5. more related pods on the same node first (spreads what is left);
/// 6. ready more recently first, compared in power-of-two buckets of age;
/// 7. more container restarts first;
/// 8. created more recently first, again by logarithmic bucket; ties by uid.
public struct PodDeletionOrder: Sendable {
    /// The annotation a user sets to make a pod cheaper or dearer to delete.
    public static let deletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"

    /// Active pods per node among the related pods (those of every ReplicaSet with the same owner).
    let podsOnNode: [String: Int]
    /// The reference time of the logarithmic comparisons.
    let now: Date

    /// An order ranking pods by how many of `relatedPods` share their node, at time `now`.
    public init(relatedPods: [JSONValue], now: Date) {
        var counts: [String: Int] = [:]
        for pod in relatedPods where PodReadiness.isActive(pod) {
            counts[PodReadiness.nodeName(pod), default: 0] += 1
        }
        self.podsOnNode = counts
        self.now = now
    }

    /// The `count` pods to delete from `pods`: all of them when `count` covers them, otherwise
    /// the first `count` in deletion order (upstream's `getPodsToDelete`).
    public func podsToDelete(_ pods: [JSONValue], count: Int) -> [JSONValue] {
        guard count < pods.count else { return pods }
        return Array(sorted(pods).prefix(max(0, count)))
    }

    /// `pods` with the ones to delete first at the front.
    public func sorted(_ pods: [JSONValue]) -> [JSONValue] {
        pods.sorted(by: precedes)
    }

    /// Whether `a` should be deleted before `b`.
    public func precedes(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let nodeA = PodReadiness.nodeName(a), nodeB = PodReadiness.nodeName(b)
        if nodeA != nodeB, nodeA.isEmpty || nodeB.isEmpty { return nodeA.isEmpty }
        let phaseA = Self.phaseOrdinal(a), phaseB = Self.phaseOrdinal(b)
        if phaseA != phaseB { return phaseA < phaseB }
        let readyA = PodReadiness.isReady(a), readyB = PodReadiness.isReady(b)
        if readyA != readyB { return !readyA }
        let costA = Self.deletionCost(a), costB = Self.deletionCost(b)
        if costA != costB { return costA < costB }
        let rankA = podsOnNode[nodeA] ?? 0, rankB = podsOnNode[nodeB] ?? 0
        if rankA != rankB { return rankA > rankB }
        if readyA, readyB {
            let timeA = PodReadiness.readyTime(a), timeB = PodReadiness.readyTime(b)
            if timeA != timeB, let verdict = laterFirst(timeA, timeB, a, b) { return verdict }
        }
        let restartsA = PodReadiness.maxContainerRestarts(a), restartsB = PodReadiness.maxContainerRestarts(b)
        if restartsA != restartsB { return restartsA > restartsB }
        let createdA = PodReadiness.creationTime(a), createdB = PodReadiness.creationTime(b)
        if createdA != createdB, let verdict = laterFirst(createdA, createdB, a, b) { return verdict }
        return false
    }

    /// Newer (or missing) times first; within the same power-of-two age bucket, by uid, so
    /// pods of similar age go in a pseudo-random order rather than strictly newest first.
    private func laterFirst(_ first: Date?, _ second: Date?, _ a: JSONValue, _ b: JSONValue) -> Bool? {
        guard let first, let second else { return first == nil }
        let diff = Self.logarithmicRank(first, now: now) - Self.logarithmicRank(second, now: now)
        if diff == 0 {
            let uidA = ObjectMetadata.uid(a), uidB = ObjectMetadata.uid(b)
            return uidA < uidB
        }
        return diff < 0
    }

    /// ⌊log2(age in nanoseconds)⌋, or -1 for a time not in the past.
    static func logarithmicRank(_ time: Date, now: Date) -> Int {
        let nanos = now.timeIntervalSince(time) * 1e9
        guard nanos >= 1 else { return -1 }
        return Int(log2(nanos))
    }

    /// Pending 0, Unknown 1, Running 2; any other phase counts as Pending, as upstream's map lookup.
    static func phaseOrdinal(_ pod: JSONValue) -> Int {
        switch PodReadiness.phase(pod) {
        case "Unknown": 1
        case "Running": 2
        default: 0
        }
    }

    /// The pod's deletion cost; 0 when unset or not a 32-bit integer.
    static func deletionCost(_ pod: JSONValue) -> Int {
        guard let text = pod[path: ["metadata", "annotations", deletionCostAnnotation]]?.string,
              let cost = Int32(text) else { return 0 }
        return Int(cost)
    }
}
