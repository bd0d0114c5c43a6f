import Foundation
import KetchControllers
import KubeCore
import Testing

@Suite struct JobTTLAfterFinishedTests {
    typealias F = JobFixtures

    func finished(ttl: Int?, at time: String = "2025-01-01T00:01:00Z") -> JSONValue {
        var spec: [String: JSONValue] = [:]
        if let ttl { spec["ttlSecondsAfterFinished"] = .integer(ttl) }
        return F.job(spec, status: ["conditions": .array([
            JobConditions.make("SuccessCriteriaMet", reason: "CompletionsReached", message: "", now: F.at(time)),
            JobConditions.make("Complete", reason: "CompletionsReached", message: "", now: F.at(time)),
        ])])
    }

    @Test func expiresTtlAfterTheFinishedCondition() {
        let job = finished(ttl: 100)
        #expect(TTLAfterFinished.expiry(of: job) == F.at("2025-01-01T00:02:40Z"))
        #expect(TTLAfterFinished.decide(job, now: F.at("2025-01-01T00:02:00Z")) == .wait(.seconds(40)))
        #expect(TTLAfterFinished.decide(job, now: F.at("2025-01-01T00:02:40Z")) == .delete)
        #expect(TTLAfterFinished.decide(finished(ttl: 0), now: F.at("2025-01-01T00:01:00Z")) == .delete)
    }

    @Test func ignoresJobsWithoutTtlUnfinishedOrBeingDeleted() {
        #expect(TTLAfterFinished.decide(finished(ttl: nil), now: F.at("2030-01-01T00:00:00Z")) == .ignore)
        #expect(TTLAfterFinished.decide(F.job(["ttlSecondsAfterFinished": .integer(0)]), now: F.at("2030-01-01T00:00:00Z")) == .ignore)
        var deleting = finished(ttl: 0)
        deleting["metadata"]?["deletionTimestamp"] = .string("2025-01-01T00:01:30Z")
        #expect(TTLAfterFinished.decide(deleting, now: F.at("2030-01-01T00:00:00Z")) == .ignore)
    }

    @Test func failedJobsExpireToo() {
        let job = F.job(["ttlSecondsAfterFinished": .integer(5)], status: ["conditions": .array([
            JobConditions.make("Failed", reason: "BackoffLimitExceeded", message: "", now: F.at("2025-01-01T00:00:00Z")),
        ])])
        #expect(TTLAfterFinished.decide(job, now: F.at("2025-01-01T00:00:06Z")) == .delete)
    }
}
