import Foundation
import Testing
@testable import KetchControllers
import KubeCore

@Suite("ReplicaSet status and scaling")
struct ReplicaSetStatusTests {
    typealias F = ReplicaSetFixtures

    @Test func countsReplicasLabelsReadinessAndAvailability() {
        let rs = F.replicaSet(minReadySeconds: 30)
        let pods = [
            F.pod("a", readySince: "2025-01-01T11:00:00Z"),                     // available
            F.pod("b", readySince: "2025-01-01T11:59:50Z"),                     // ready 10 s: not yet available
            F.pod("c", ready: false, labels: ["app": "web"]),                   // selected, missing tier
        ]
        let status = ReplicaSetStatus.calculate(rs, pods: pods, flavor: .replicaSet, manageError: nil, now: F.now)
        #expect(status["replicas"]?.int == 3)
        #expect(status["fullyLabeledReplicas"]?.int == 2)
        #expect(status["readyReplicas"]?.int == 2)
        #expect(status["availableReplicas"]?.int == 1)
        #expect(status["conditions"] == nil)
    }

    @Test func zeroCountsAreOmittedButReplicasIsNot() {
        let status = ReplicaSetStatus.calculate(F.replicaSet(replicas: 0), pods: [], flavor: .replicaSet, manageError: nil, now: F.now)
        #expect(status["replicas"]?.int == 0)
        #expect(status["readyReplicas"] == nil)
        #expect(status["availableReplicas"] == nil)
    }

    @Test func failedCreatesSetReplicaFailureAndSuccessClearsIt() {
        let rs = F.replicaSet(replicas: 3)
        let failed = ReplicaSetStatus.calculate(rs, pods: [F.pod("a")], flavor: .replicaSet,
                                                manageError: "pods \"web-abc-\" is forbidden: exceeded quota", now: F.now)
        let condition = WorkloadCondition.list(in: failed).condition("ReplicaFailure")
        #expect(condition?.status == "True")
        #expect(condition?.reason == "FailedCreate")
        #expect(condition?.message == "pods \"web-abc-\" is forbidden: exceeded quota")
        #expect(condition?.lastTransitionTime == "2025-01-01T12:00:00Z")

        var withFailure = rs
        withFailure["status"] = failed
        let healed = ReplicaSetStatus.calculate(withFailure, pods: [F.pod("a"), F.pod("b"), F.pod("c")], flavor: .replicaSet,
                                                manageError: nil, now: F.now)
        #expect(healed["conditions"] == nil)
    }

    @Test func failedDeletesSayFailedDelete() {
        let status = ReplicaSetStatus.calculate(F.replicaSet(replicas: 1), pods: [F.pod("a"), F.pod("b")], flavor: .replicaSet,
                                                manageError: "unable to delete pods: boom", now: F.now)
        #expect(WorkloadCondition.list(in: status).condition("ReplicaFailure")?.reason == "FailedDelete")
    }

    @Test func statusIsWrittenOnlyWhenSomethingChanged() {
        let current: [String: JSONValue] = ["replicas": .integer(1), "fullyLabeledReplicas": .integer(1),
                                            "readyReplicas": .integer(1), "availableReplicas": .integer(1),
                                            "observedGeneration": .integer(1)]
        let rs = F.replicaSet(replicas: 1, status: current)
        let same = ReplicaSetStatus.calculate(rs, pods: [F.pod("a")], flavor: .replicaSet, manageError: nil, now: F.now)
        #expect(!ReplicaSetStatus.needsUpdate(rs, newStatus: same))
        #expect(ReplicaSetStatus.needsUpdate(F.replicaSet(replicas: 1, status: current, generation: 2), newStatus: same))
        let fewer = ReplicaSetStatus.calculate(rs, pods: [], flavor: .replicaSet, manageError: nil, now: F.now)
        #expect(ReplicaSetStatus.needsUpdate(rs, newStatus: fewer))
        #expect(ReplicaSetStatus.applying(fewer, to: rs)[path: ["status", "observedGeneration"]]?.int == 1)
    }

    @Test func aPodNotYetAvailableBringsTheReplicaSetBackWhenItWillBe() {
        let rs = F.replicaSet(minReadySeconds: 30)
        let pods = [F.pod("a", readySince: "2025-01-01T11:00:00Z"), F.pod("b", readySince: "2025-01-01T11:59:50Z")]
        #expect(ReplicaSetStatus.availabilityRecheck(rs, pods: pods, now: F.now) == .seconds(21))
        #expect(ReplicaSetStatus.availabilityRecheck(rs, pods: [pods[0]], now: F.now) == nil)
        #expect(ReplicaSetStatus.availabilityRecheck(F.replicaSet(), pods: pods, now: F.now) == nil)
    }

    @Test func planCreatesTheMissingPodsWithinTheBurst() {
        let rs = F.replicaSet(replicas: 5)
        #expect(ReplicaSetScaling.plan(rs, pods: [F.pod("a")], relatedPods: [], flavor: .replicaSet, now: F.now) == .create(4))
        #expect(ReplicaSetScaling.plan(F.replicaSet(replicas: 1000), pods: [], relatedPods: [], flavor: .replicaSet, now: F.now)
                == .create(500))
        #expect(ReplicaSetScaling.plan(F.replicaSet(replicas: 1), pods: [F.pod("a")], relatedPods: [], flavor: .replicaSet,
                                       now: F.now) == .none)
    }

    @Test func planDeletesTheWorstSurplusPods() {
        let rs = F.replicaSet(replicas: 1)
        let pods = [F.pod("good"), F.pod("pending", phase: "Pending", ready: false), F.pod("unready", ready: false)]
        guard case .delete(let doomed) = ReplicaSetScaling.plan(rs, pods: pods, relatedPods: pods, flavor: .replicaSet, now: F.now) else {
            Issue.record("expected deletions")
            return
        }
        #expect(Set(F.names(doomed)) == ["pending", "unready"])
    }

    @Test func slowStartBatchesDouble() {
        #expect(SlowStartBatch.batchSizes(0) == [])
        #expect(SlowStartBatch.batchSizes(1) == [1])
        #expect(SlowStartBatch.batchSizes(10) == [1, 2, 4, 3])
        #expect(SlowStartBatch.batchSizes(500) == [1, 2, 4, 8, 16, 32, 64, 128, 245])
    }

    @Test func slowStartStopsAfterTheFirstFailingBatch() async {
        let calls = ReplicaSetTestCounter()
        let (successes, error) = await SlowStartBatch.run(10) {
            // The fourth call (in the third batch) fails.
            if await calls.next() == 4 { throw KubeStatus(code: 403, reason: "Forbidden", message: "quota") }
        }
        #expect(successes == 6)
        #expect(error != nil)
        #expect(await calls.value == 7)
    }

    @Test func expectationsWaitForObservedCreationsAndDeletions() {
        let clock = ReplicaSetTestClock(F.now)
        let expectations = ControllerExpectations(clock: { clock.now })
        #expect(expectations.satisfied("default/web"))
        expectations.expectCreations("default/web", 2)
        #expect(!expectations.satisfied("default/web"))
        expectations.creationObserved("default/web")
        #expect(!expectations.satisfied("default/web"))
        expectations.creationObserved("default/web")
        #expect(expectations.satisfied("default/web"))

        expectations.expectDeletions("default/web", podKeys: ["default/a"])
        expectations.deletionObserved("default/web", podKey: "default/other")
        #expect(!expectations.satisfied("default/web"))
        expectations.deletionObserved("default/web", podKey: "default/a")
        expectations.deletionObserved("default/web", podKey: "default/a")
        #expect(expectations.satisfied("default/web"))

        expectations.expectCreations("default/web", 1)
        clock.now = F.now.addingTimeInterval(301)
        #expect(expectations.satisfied("default/web"))
    }
}
