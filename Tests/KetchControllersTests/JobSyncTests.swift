import Foundation
import KetchControllers
import KubeCore
import Testing

@Suite struct JobSyncTests {
    typealias F = JobFixtures

    @Test func newJobGetsOnePodWithLabelsFinalizerAndOwner() throws {
        let result = F.sync(F.job())
        #expect(result.actions.create.count == 1)
        let pod = try #require(result.actions.create.first)
        #expect(pod["metadata"]?["generateName"] == .string("pi-"))
        #expect(pod["metadata"]?["namespace"] == .string("default"))
        let labels = pod["metadata"]?["labels"]?.object ?? [:]
        #expect(labels["batch.kubernetes.io/controller-uid"] == .string(F.uid))
        #expect(labels["batch.kubernetes.io/job-name"] == .string("pi"))
        #expect(labels["controller-uid"] == .string(F.uid))
        #expect(labels["job-name"] == .string("pi"))
        #expect(pod["metadata"]?["finalizers"] == .array([.string("batch.kubernetes.io/job-tracking")]))
        let owner = try #require(pod["metadata"]?["ownerReferences"]?.array?.first)
        #expect(owner["kind"] == .string("Job"))
        #expect(owner["uid"] == .string(F.uid))
        #expect(owner["controller"] == .bool(true))
        #expect(pod["spec"]?["containers"]?.array?.first?["image"] == .string("perl:5.34"))
        let status = result.status
        #expect(status["startTime"] == .string("2025-01-01T00:01:00Z"))
        #expect(status["active"] == .integer(1))
        #expect(status["ready"] == .integer(0))
        #expect(status["terminating"] == .integer(0))
        #expect(status["uncountedTerminatedPods"] == .object([:]))
        #expect(status["succeeded"] == nil)
    }

    @Test func parallelismIsCappedByRemainingCompletions() {
        let job = F.job(["parallelism": .integer(3), "completions": .integer(5)], status: ["succeeded": .integer(4)])
        #expect(F.sync(job).actions.create.count == 1)
        let fresh = F.job(["parallelism": .integer(3), "completions": .integer(5)])
        #expect(F.sync(fresh).actions.create.count == 3)
    }

    @Test func newlySucceededPodsCountOnceThroughUncountedPods() {
        let job = F.job(["parallelism": .integer(3), "completions": .integer(5)])
        let pods = [F.pod("a", phase: "Succeeded"), F.pod("b", phase: "Succeeded"), F.pod("c", phase: "Running")]
        let result = F.sync(job, pods: pods)
        #expect(result.actions.create.count == 2)
        // First write lists them as uncounted; the last, after the finalizers came off, counts them.
        let first = result.writes.first?["status"]?["uncountedTerminatedPods"]?["succeeded"]
        #expect(first == .array([.string("uid-a"), .string("uid-b")]))
        #expect(result.status["succeeded"] == .integer(2))
        #expect(result.status["uncountedTerminatedPods"] == .object([:]))
        #expect(result.sync.podsToRelease.map(JobPodState.uid) == ["uid-a", "uid-b"])
        // Next sync: the same pods without their finalizer add nothing.
        let again = F.sync(result.job, pods: [F.pod("a", phase: "Succeeded", tracked: false),
                                              F.pod("b", phase: "Succeeded", tracked: false), F.pod("c", phase: "Running")])
        #expect(again.status["succeeded"] == .integer(2))
    }

    @Test func uncountedPodsWhoseFinalizerIsGoneAreCounted() {
        let job = F.job(status: ["uncountedTerminatedPods": .object(["failed": .array([.string("uid-x")])]),
                                 "startTime": .string("2025-01-01T00:00:00Z")])
        let result = F.sync(job, pods: [F.pod("y", phase: "Running")])
        #expect(result.status["failed"] == .integer(1))
        #expect(result.status["uncountedTerminatedPods"] == .object([:]))
    }

    @Test func workQueueCompletesWhenOneSucceededAndNoneActive() {
        let job = F.job(["parallelism": .integer(2)])
        let running = F.sync(job, pods: [F.pod("a", phase: "Succeeded"), F.pod("b", phase: "Running")])
        #expect(running.actions.create.isEmpty)
        #expect(!running.conditionTypes.contains("Complete"))
        let done = F.sync(job, pods: [F.pod("a", phase: "Succeeded"), F.pod("b", phase: "Succeeded")])
        #expect(done.conditionTypes == ["SuccessCriteriaMet", "Complete"])
    }

    @Test func completionAddsSuccessCriteriaMetThenComplete() throws {
        let result = F.sync(F.job(), pods: [F.pod("a", phase: "Succeeded")])
        #expect(result.conditionTypes == ["SuccessCriteriaMet", "Complete"])
        let complete = try #require(JobConditions.find("Complete", in: JobConditions.of(result.job)))
        #expect(complete["status"] == .string("True"))
        #expect(complete["reason"] == .string("CompletionsReached"))
        #expect(complete["message"] == .string("Reached expected number of succeeded pods"))
        #expect(result.status["completionTime"] == .string("2025-01-01T00:01:00Z"))
        #expect(result.status["succeeded"] == .integer(1))
        #expect(result.status["active"] == nil)
        #expect(result.sync.events == [.normal("Completed", "Job completed")])
        // The interim write carries SuccessCriteriaMet before the pod is released.
        #expect(JobConditions.of(result.writes[0]).compactMap { $0["type"]?.string } == ["SuccessCriteriaMet"])
    }

    @Test func finishedJobIsLeftAlone() {
        let done = F.sync(F.job(), pods: [F.pod("a", phase: "Succeeded")]).job
        let again = F.sync(done, pods: [F.pod("a", phase: "Succeeded", tracked: false)])
        #expect(again.sync.skipped)
        #expect(again.writes.isEmpty)
        #expect(again.actions.isEmpty)
    }

    @Test func exceedingTheBackoffLimitFailsTheJob() throws {
        let job = F.job(["backoffLimit": .integer(1)], status: ["startTime": .string("2025-01-01T00:00:00Z")])
        let pods = [F.pod("a", phase: "Failed", finishedAt: "2025-01-01T00:00:10Z"),
                    F.pod("b", phase: "Failed", finishedAt: "2025-01-01T00:00:40Z")]
        let result = F.sync(job, pods: pods)
        #expect(result.conditionTypes == ["FailureTarget", "Failed"])
        let failed = try #require(JobConditions.find("Failed", in: JobConditions.of(result.job)))
        #expect(failed["reason"] == .string("BackoffLimitExceeded"))
        #expect(failed["message"] == .string("Job has reached the specified backoff limit"))
        #expect(result.status["failed"] == .integer(2))
        #expect(result.status["completionTime"] == nil)
        #expect(result.sync.events == [.warning("BackoffLimitExceeded", "Job has reached the specified backoff limit")])
        #expect(result.actions.create.isEmpty)
    }

    @Test func failedPodsWithinTheLimitAreReplacedAfterBackoff() {
        let job = F.job(status: ["startTime": .string("2025-01-01T00:00:00Z")])
        let pods = [F.pod("a", phase: "Failed", finishedAt: "2025-01-01T00:00:55Z")]
        let soon = F.sync(job, pods: pods, now: F.at("2025-01-01T00:01:00Z"))
        #expect(soon.actions.create.isEmpty)
        #expect(soon.sync.requeueAfter == .seconds(5))
        #expect(soon.status["failed"] == .integer(1))
        let later = F.sync(job, pods: pods, now: F.at("2025-01-01T00:01:06Z"))
        #expect(later.actions.create.count == 1)
    }

    @Test func backoffDoublesWithConsecutiveFailures() {
        let last = F.at("2025-01-01T00:00:00Z")
        #expect(JobPodBackoff.remaining(failures: 1, lastFailure: last, now: last) == .seconds(10))
        #expect(JobPodBackoff.remaining(failures: 3, lastFailure: last, now: last) == .seconds(40))
        #expect(JobPodBackoff.remaining(failures: 20, lastFailure: last, now: last) == .seconds(600))
        #expect(JobPodBackoff.remaining(failures: 2, lastFailure: last, now: last.addingTimeInterval(25)) == .zero)
    }

    @Test func failingJobWaitsForItsTerminatingPods() throws {
        let job = F.job(["backoffLimit": .integer(0)], status: ["startTime": .string("2025-01-01T00:00:00Z")])
        let failed = F.pod("a", phase: "Failed", finishedAt: "2025-01-01T00:00:10Z")
        let first = F.sync(job, pods: [failed, F.pod("b", phase: "Running", ready: true)])
        #expect(first.actions.delete.map { $0["metadata"]?["name"] } == [.string("b")])
        #expect(!first.actions.releaseBeforeDelete)
        #expect(first.conditionTypes == ["FailureTarget"])
        #expect(first.status["terminating"] == .integer(1))
        #expect(first.status["ready"] == .integer(0))
        // While the deleted pod still terminates, Failed waits; it is counted as failed already.
        let second = F.sync(first.job, pods: [F.pod("a", phase: "Failed", tracked: false),
                                              F.pod("b", phase: "Running", tracked: false, deleting: true)])
        #expect(second.conditionTypes == ["FailureTarget"])
        #expect(second.status["failed"] == .integer(2))
        let third = F.sync(second.job, pods: [F.pod("a", phase: "Failed", tracked: false), F.pod("b", phase: "Failed", tracked: false)])
        #expect(third.conditionTypes == ["FailureTarget", "Failed"])
        #expect(third.status["failed"] == .integer(2))
    }

    @Test func restartsUnderOnFailureCountAgainstTheBackoffLimit() {
        var job = F.job(["backoffLimit": .integer(2)], status: ["startTime": .string("2025-01-01T00:00:00Z")])
        job["spec"]?["template"]?["spec"]?["restartPolicy"] = .string("OnFailure")
        let one = F.sync(job, pods: [F.pod("a", phase: "Running", restarts: 1)])
        #expect(!one.conditionTypes.contains("FailureTarget"))
        let two = F.sync(job, pods: [F.pod("a", phase: "Running", restarts: 2)])
        #expect(two.conditionTypes.first == "FailureTarget")
    }

    @Test func activeDeadlineFailsTheJobAndDeletesItsPods() throws {
        let job = F.job(["activeDeadlineSeconds": .integer(30)], status: ["startTime": .string("2025-01-01T00:00:00Z")])
        let running = [F.pod("a", phase: "Running")]
        let early = F.sync(job, pods: running, now: F.at("2025-01-01T00:00:20Z"))
        #expect(early.sync.requeueAfter == .seconds(10))
        #expect(early.actions.isEmpty)
        let late = F.sync(job, pods: running, now: F.at("2025-01-01T00:00:31Z"))
        #expect(late.actions.delete.count == 1)
        let target = try #require(JobConditions.find("FailureTarget", in: JobConditions.of(late.job)))
        #expect(target["reason"] == .string("DeadlineExceeded"))
        #expect(target["message"] == .string("Job was active longer than specified deadline"))
        let after = F.sync(late.job, pods: [F.pod("a", phase: "Failed", tracked: false)], now: F.at("2025-01-01T00:00:40Z"))
        #expect(after.conditionTypes == ["FailureTarget", "Failed"])
        #expect(after.sync.events == [.warning("DeadlineExceeded", "Job was active longer than specified deadline")])
    }

    @Test func suspendingDeletesPodsAndResumingRestartsTheClock() throws {
        let job = F.job(["suspend": .bool(true)], status: ["startTime": .string("2025-01-01T00:00:00Z")])
        let suspended = F.sync(job, pods: [F.pod("a", phase: "Running")])
        #expect(suspended.actions.delete.count == 1)
        #expect(suspended.actions.releaseBeforeDelete)
        let condition = try #require(JobConditions.find("Suspended", in: JobConditions.of(suspended.job)))
        #expect(condition["status"] == .string("True"))
        #expect(condition["reason"] == .string("JobSuspended"))
        #expect(suspended.sync.events == [.normal("Suspended", "Job suspended")])
        #expect(suspended.status["active"] == nil)

        var resumed = suspended.job
        resumed["spec"]?["suspend"] = .bool(false)
        let result = F.sync(resumed, now: F.at("2025-01-01T00:05:00Z"))
        #expect(result.actions.create.count == 1)
        let after = try #require(JobConditions.find("Suspended", in: JobConditions.of(result.job)))
        #expect(after["status"] == .string("False"))
        #expect(after["reason"] == .string("JobResumed"))
        #expect(result.status["startTime"] == .string("2025-01-01T00:05:00Z"))
        #expect(result.sync.events == [.normal("Resumed", "Job resumed")])
    }

    @Test func jobCreatedSuspendedHasNoStartTime() {
        let result = F.sync(F.job(["suspend": .bool(true)]))
        #expect(result.status["startTime"] == nil)
        #expect(result.actions.isEmpty)
    }

    @Test func indexedJobCreatesThePendingIndexes() throws {
        let spec: [String: JSONValue] = ["completionMode": .string("Indexed"), "completions": .integer(3), "parallelism": .integer(2)]
        let first = F.sync(F.job(spec))
        #expect(first.actions.create.count == 2)
        let pod = try #require(first.actions.create.first)
        #expect(pod["metadata"]?["generateName"] == .string("pi-0-"))
        #expect(pod["metadata"]?["annotations"]?["batch.kubernetes.io/job-completion-index"] == .string("0"))
        #expect(pod["metadata"]?["labels"]?["batch.kubernetes.io/job-completion-index"] == .string("0"))
        #expect(pod["spec"]?["hostname"] == .string("pi-0"))
        let env = pod["spec"]?["containers"]?.array?.first?["env"]?.array?.first
        #expect(env?["name"] == .string("JOB_COMPLETION_INDEX"))
        #expect(first.actions.create.last?["spec"]?["hostname"] == .string("pi-1"))

        let pods = [F.pod("a", phase: "Succeeded", index: 0), F.pod("b", phase: "Running", index: 1)]
        let second = F.sync(F.job(spec), pods: pods)
        #expect(second.actions.create.map { $0["spec"]?["hostname"] } == [.string("pi-2")])
        #expect(second.status["completedIndexes"] == .string("0"))
        #expect(second.status["succeeded"] == .integer(1))
        #expect(second.status["uncountedTerminatedPods"] == .object([:]))
    }

    @Test func indexedJobCompletesWhenEveryIndexSucceeded() {
        let spec: [String: JSONValue] = ["completionMode": .string("Indexed"), "completions": .integer(3), "parallelism": .integer(3)]
        let pods = [F.pod("a", phase: "Succeeded", index: 0), F.pod("b", phase: "Succeeded", index: 2),
                    F.pod("c", phase: "Succeeded", index: 1), F.pod("d", phase: "Succeeded", index: 1)]
        let result = F.sync(F.job(spec, status: ["completedIndexes": .string("0")]), pods: pods)
        #expect(result.status["completedIndexes"] == .string("0-2"))
        #expect(result.status["succeeded"] == .integer(3))
        #expect(result.conditionTypes == ["SuccessCriteriaMet", "Complete"])
    }

    @Test func indexedJobRemovesDuplicateIndexes() {
        let spec: [String: JSONValue] = ["completionMode": .string("Indexed"), "completions": .integer(2), "parallelism": .integer(2)]
        let pods = [F.pod("a", phase: "Running", index: 0), F.pod("b", phase: "Running", ready: true, index: 0),
                    F.pod("c", phase: "Running", index: 5)]
        let result = F.sync(F.job(spec), pods: pods)
        let names = Set(result.actions.delete.compactMap { $0["metadata"]?["name"]?.string })
        #expect(names == ["a", "c"])
        #expect(result.actions.create.isEmpty)
    }

    @Test func tooManyActivePodsAreScaledDownUnreadyFirst() {
        let job = F.job(["parallelism": .integer(1), "completions": .integer(4)])
        let pods = [F.pod("ready", phase: "Running", ready: true), F.pod("pending", phase: "Pending")]
        let result = F.sync(job, pods: pods)
        #expect(result.actions.delete.compactMap { $0["metadata"]?["name"]?.string } == ["pending"])
        #expect(result.actions.releaseBeforeDelete)
        #expect(result.status["active"] == .integer(1))

        func deleted(_ pods: [JSONValue]) -> [String] {
            F.sync(job, pods: pods).actions.delete.compactMap { $0["metadata"]?["name"]?.string }
        }
        #expect(deleted([F.pod("ready", phase: "Running", ready: true), F.pod("unready", phase: "Running")]) == ["unready"])
        #expect(deleted([F.pod("steady", phase: "Running"), F.pod("crashing", phase: "Running", restarts: 3)]) == ["crashing"])
        var unscheduled = F.pod("unscheduled", phase: "Pending")
        unscheduled["spec"] = .object([:])
        #expect(deleted([F.pod("pending", phase: "Pending"), unscheduled]) == ["unscheduled"])
    }

    @Test func unknownCompletionModeIsReported() {
        let result = F.sync(F.job(["completionMode": .string("Sometimes")]))
        #expect(result.sync.skipped)
        #expect(result.sync.events == [.warning("UnknownCompletionMode", "Skipped Job sync because completion mode is unknown")])
    }

    @Test func jobManagedByAnotherControllerIsSkipped() {
        let result = F.sync(F.job(["managedBy": .string("kueue.x-k8s.io/multikueue")]))
        #expect(result.sync.skipped)
        #expect(result.actions.isEmpty)
    }

    @Test func specDefaultsFollowTheApiserver() {
        #expect(JobSpec(F.job()).completions == 1)
        #expect(JobSpec(F.job()).parallelism == 1)
        #expect(JobSpec(F.job()).backoffLimit == 6)
        #expect(JobSpec(F.job(["parallelism": .integer(4)])).completions == nil)
        #expect(JobSpec.podSelector(of: F.job()) == "batch.kubernetes.io/controller-uid=\(F.uid)")
    }
}
