import Foundation
import Testing
@testable import KetchControllers
import KubeCore

@Suite("ReplicaSet deletion order")
struct ReplicaSetDeletionOrderTests {
    typealias F = ReplicaSetFixtures
    let order = PodDeletionOrder(relatedPods: [], now: F.now)

    @Test func unscheduledBeforeScheduled() {
        let pods = [F.pod("scheduled"), F.pod("pending", node: "", phase: "Pending", ready: false)]
        #expect(F.names(order.sorted(pods)) == ["pending", "scheduled"])
    }

    @Test func pendingThenUnknownThenRunning() {
        let pods = [F.pod("running"), F.pod("unknown", phase: "Unknown"), F.pod("pending", phase: "Pending")]
        #expect(F.names(order.sorted(pods)) == ["pending", "unknown", "running"])
    }

    @Test func notReadyBeforeReady() {
        let pods = [F.pod("ready"), F.pod("not-ready", ready: false)]
        #expect(F.names(order.sorted(pods)) == ["not-ready", "ready"])
    }

    @Test func lowerDeletionCostFirst() {
        let pods = [F.pod("dear", deletionCost: 100), F.pod("cheap", deletionCost: -5), F.pod("plain")]
        #expect(F.names(order.sorted(pods)) == ["cheap", "plain", "dear"])
    }

    @Test func podsDoubledUpOnANodeGoFirst() {
        let crowded = [F.pod("a", node: "n1"), F.pod("b", node: "n1"), F.pod("c", node: "n2")]
        let ranked = PodDeletionOrder(relatedPods: crowded, now: F.now)
        #expect(F.names(ranked.sorted(crowded)).last == "c")
    }

    @Test func recentlyReadyFirstByLogarithmicBucket() {
        // Ready 1 minute and 2 hours ago fall in different power-of-two buckets.
        let pods = [F.pod("old", readySince: "2025-01-01T10:00:00Z"), F.pod("young", readySince: "2025-01-01T11:59:00Z")]
        #expect(F.names(order.sorted(pods)) == ["young", "old"])
    }

    @Test func sameBucketFallsBackToUID() {
        // 60 s and 61 s ago share ⌊log2(ns)⌋, so the uid decides, not the exact times.
        let a = F.pod("b-later", readySince: "2025-01-01T11:59:00Z")
        let b = F.pod("a-earlier", readySince: "2025-01-01T11:58:59Z")
        #expect(F.names(order.sorted([a, b])) == ["a-earlier", "b-later"])
    }

    @Test func moreRestartsFirst() {
        let pods = [F.pod("steady"), F.pod("flaky", restarts: 4)]
        #expect(F.names(order.sorted(pods)) == ["flaky", "steady"])
    }

    @Test func newerPodsFirstWhenAllElseIsEqual() {
        let pods = [F.pod("old", ready: false, created: "2025-01-01T08:00:00Z"),
                    F.pod("new", ready: false, created: "2025-01-01T11:50:00Z")]
        #expect(F.names(order.sorted(pods)) == ["new", "old"])
    }

    @Test func podsToDeleteTakesTheWorstOnesOrAll() {
        let pods = [F.pod("ok-1"), F.pod("bad", ready: false), F.pod("ok-2")]
        #expect(F.names(order.podsToDelete(pods, count: 1)) == ["bad"])
        #expect(order.podsToDelete(pods, count: 5).count == 3)
    }

    @Test func logarithmicRankOfTheFuture() {
        #expect(PodDeletionOrder.logarithmicRank(F.now.addingTimeInterval(10), now: F.now) == -1)
        #expect(PodDeletionOrder.logarithmicRank(F.now.addingTimeInterval(-1), now: F.now) == 29)
    }
}
