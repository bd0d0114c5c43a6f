import Foundation
import KetchControllers
import KubeCore
import Testing

/// CronJobs and their Jobs for the cronjob controller's tests.
enum CronJobFixtures {
    static let uid = "cccccccc-0000-0000-0000-000000000001"

    static func at(_ text: String) -> Date { KubeTime.parse(text)! }

    /// A CronJob `hello` created at midnight 2025-01-01 UTC.
    static func cronJob(_ schedule: String = "*/5 * * * *", spec: [String: JSONValue] = [:],
                        status: [String: JSONValue] = [:], created: String = "2025-01-01T00:00:00Z") -> JSONValue {
        var fullSpec: [String: JSONValue] = [
            "schedule": .string(schedule),
            "jobTemplate": .object([
                "metadata": .object(["labels": .object(["app": .string("hello")])]),
                "spec": .object(["template": .object(["spec": .object([
                    "restartPolicy": .string("OnFailure"),
                    "containers": .array([.object(["name": .string("hello"), "image": .string("busybox")])]),
                ])])]),
            ]),
        ]
        for (key, value) in spec { fullSpec[key] = value }
        return .object([
            "apiVersion": .string("batch/v1"), "kind": .string("CronJob"),
            "metadata": .object(["name": .string("hello"), "namespace": .string("default"), "uid": .string(uid),
                                 "creationTimestamp": .string(created)]),
            "spec": .object(fullSpec),
            "status": .object(status),
        ])
    }

    /// A Job of the CronJob; `finished` is `Complete` or `Failed`.
    static func job(_ name: String, finished: String? = nil, started: String? = nil, completed: String? = nil) -> JSONValue {
        var status: [String: JSONValue] = [:]
        if let started { status["startTime"] = .string(started) }
        if let completed { status["completionTime"] = .string(completed) }
        if let finished {
            status["conditions"] = .array([JobConditions.make(finished, reason: "", message: "", now: at("2025-01-01T00:00:00Z"))])
        }
        return .object([
            "apiVersion": .string("batch/v1"), "kind": .string("Job"),
            "metadata": .object([
                "name": .string(name), "namespace": .string("default"), "uid": .string("uid-\(name)"),
                "ownerReferences": .array([.object([
                    "apiVersion": .string("batch/v1"), "kind": .string("CronJob"), "name": .string("hello"),
                    "uid": .string(uid), "controller": .bool(true), "blockOwnerDeletion": .bool(true),
                ])]),
            ]),
            "status": .object(status),
        ])
    }

    /// `status.active` naming `names`.
    static func active(_ names: String...) -> JSONValue {
        .array(names.map { CronJobTemplate.reference(to: job($0)) })
    }

    static func names(_ jobs: [JSONValue]) -> [String] { jobs.compactMap { $0["metadata"]?["name"]?.string } }
}

@Suite struct CronJobSyncTests {
    typealias F = CronJobFixtures

    @Test func jobNamesCountMinutesSinceTheEpoch() {
        let spec = CronJobSpec(F.cronJob())
        #expect(spec.jobName(for: Date(timeIntervalSince1970: 1_703_474_040)) == "hello-28391234")
        #expect(spec.jobName(for: F.at("2025-01-01T00:05:00Z")) == "hello-28928165")
    }

    @Test func dueScheduleStartsAJobAndRequeuesForTheNextOne() throws {
        var sync = CronJobSync(cronJob: F.cronJob(created: "2025-01-01T00:00:30Z"), now: F.at("2025-01-01T00:05:30Z"))
        guard case .start(let job, let scheduled, let replacing) = sync.plan(jobs: [], gone: []) else {
            Issue.record("expected a start")
            return
        }
        #expect(scheduled == F.at("2025-01-01T00:05:00Z"))
        #expect(replacing.isEmpty)
        #expect(job["metadata"]?["name"] == .string("hello-28928165"))
        #expect(job["metadata"]?["annotations"]?["batch.kubernetes.io/cronjob-scheduled-timestamp"] == .string("2025-01-01T00:05:00Z"))
        #expect(job["metadata"]?["labels"] == .object(["app": .string("hello")]))
        let owner = try #require(job["metadata"]?["ownerReferences"]?.array?.first)
        #expect(owner["kind"] == .string("CronJob"))
        #expect(owner["uid"] == .string(F.uid))
        #expect(owner["controller"] == .bool(true))
        #expect(job["spec"]?["template"]?["spec"]?["restartPolicy"] == .string("OnFailure"))

        var created = job
        created["metadata"]?["uid"] = .string("uid-new")
        created["metadata"]?["resourceVersion"] = .string("42")
        sync.started(created, at: scheduled)
        #expect(sync.statusChanged)
        #expect(sync.cronJob["status"]?["lastScheduleTime"] == .string("2025-01-01T00:05:00Z"))
        let ref = try #require(sync.active.first)
        #expect(ref == .object(["apiVersion": .string("batch/v1"), "kind": .string("Job"), "name": .string("hello-28928165"),
                                "namespace": .string("default"), "uid": .string("uid-new"), "resourceVersion": .string("42")]))
        #expect(sync.events == [.normal("SuccessfulCreate", "Created job hello-28928165")])
        #expect(sync.requeueAfter == .seconds(270) + .milliseconds(100))
    }

    @Test func nothingDueWaitsForTheNextScheduleTime() {
        var sync = CronJobSync(cronJob: F.cronJob(), now: F.at("2025-01-01T00:04:00Z"))
        #expect(sync.plan(jobs: [], gone: []) == .none)
        #expect(sync.requeueAfter == .seconds(60) + .milliseconds(100))
        #expect(!sync.statusChanged)
    }

    @Test func aScheduleTimeAlreadyStartedIsNotStartedAgain() {
        let cronJob = F.cronJob(status: ["lastScheduleTime": .string("2025-01-01T00:05:00Z")])
        var sync = CronJobSync(cronJob: cronJob, now: F.at("2025-01-01T00:06:00Z"))
        #expect(sync.plan(jobs: [], gone: []) == .none)
        #expect(sync.requeueAfter == .seconds(240) + .milliseconds(100))
    }

    @Test func forbidWaitsForTheRunningJob() {
        let cronJob = F.cronJob(spec: ["concurrencyPolicy": .string("Forbid")],
                                status: ["active": F.active("hello-1"), "lastScheduleTime": .string("2025-01-01T00:00:00Z")])
        var sync = CronJobSync(cronJob: cronJob, now: F.at("2025-01-01T00:05:10Z"))
        #expect(sync.plan(jobs: [F.job("hello-1")], gone: []) == .none)
        #expect(sync.events == [.normal("JobAlreadyActive",
                                        "Not starting job because prior execution is running and concurrency policy is Forbid")])
    }

    @Test func replaceNamesTheRunningJobsAndAllowKeepsThem() {
        for (policy, replaced) in [("Replace", ["hello-1"]), ("Allow", [])] {
            let cronJob = F.cronJob(spec: ["concurrencyPolicy": .string(policy)],
                                    status: ["active": F.active("hello-1"), "lastScheduleTime": .string("2025-01-01T00:00:00Z")])
            var sync = CronJobSync(cronJob: cronJob, now: F.at("2025-01-01T00:05:10Z"))
            guard case .start(_, _, let replacing) = sync.plan(jobs: [F.job("hello-1")], gone: []) else {
                Issue.record("expected a start under \(policy)")
                continue
            }
            #expect(replacing.compactMap { $0["name"]?.string } == replaced)
        }
    }

    @Test func suspendedCronJobStartsNothingAndDoesNotRequeue() {
        var sync = CronJobSync(cronJob: F.cronJob(spec: ["suspend": .bool(true)]), now: F.at("2025-01-01T00:05:10Z"))
        #expect(sync.plan(jobs: [], gone: []) == .none)
        #expect(sync.requeueAfter == nil)
    }

    @Test func timeZoneSetsTheScheduleAndTheAnnotation() {
        let cronJob = F.cronJob("0 9 * * *", spec: ["timeZone": .string("Asia/Tokyo")], created: "2024-12-31T00:00:00Z")
        var sync = CronJobSync(cronJob: cronJob, now: F.at("2025-01-01T00:00:30Z"))
        guard case .start(let job, let scheduled, _) = sync.plan(jobs: [], gone: []) else {
            Issue.record("expected a start")
            return
        }
        #expect(scheduled == F.at("2025-01-01T00:00:00Z"))
        #expect(job["metadata"]?["annotations"]?["batch.kubernetes.io/cronjob-scheduled-timestamp"] == .string("2025-01-01T09:00:00+09:00"))
    }

    @Test func badSchedulesAndZonesAreReported() {
        var zone = CronJobSync(cronJob: F.cronJob(spec: ["timeZone": .string("Mars/Olympus")]), now: F.at("2025-01-01T01:00:00Z"))
        #expect(zone.plan(jobs: [], gone: []) == .none)
        #expect(zone.events == [.warning("UnknownTimeZone", "invalid timeZone: \"Mars/Olympus\": unknown time zone Mars/Olympus")])

        var text = CronJobSync(cronJob: F.cronJob("bad"), now: F.at("2025-01-01T01:00:00Z"))
        #expect(text.plan(jobs: [], gone: []) == .none)
        #expect(text.events == [.warning("UnparseableSchedule", "unparseable schedule: \"bad\" : expected exactly 5 fields, found 1: [bad]")])
        #expect(text.requeueAfter == nil)

        var never = CronJobSync(cronJob: F.cronJob("0 0 30 2 *"), now: F.at("2025-01-01T01:00:00Z"))
        #expect(never.plan(jobs: [], gone: []) == .none)
        #expect(never.events == [.warning("InvalidSchedule",
                                          "invalid schedule: 0 0 30 2 * : time difference between two schedules is less than 1 second")])

        var tz = CronJobSync(cronJob: F.cronJob("CRON_TZ=UTC 0 * * * *"), now: F.at("2025-01-01T00:30:00Z"))
        _ = tz.plan(jobs: [], gone: [])
        #expect(tz.events.map(\.reason) == ["UnsupportedSchedule"])
    }

    @Test func tooManyMissedStartTimesWarnsAndStartsTheLatest() {
        var sync = CronJobSync(cronJob: F.cronJob("* * * * *"), now: F.at("2025-01-01T03:00:30Z"))
        guard case .start(let job, _, _) = sync.plan(jobs: [], gone: []) else {
            Issue.record("expected a start")
            return
        }
        #expect(job["metadata"]?["name"] == .string("hello-28928340"))
        #expect(sync.events == [.warning("TooManyMissedTimes",
                                         "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew")])
    }

    @Test func startingDeadlineSkipsTimesTooLongAgo() {
        let cronJob = F.cronJob("0 * * * *", spec: ["startingDeadlineSeconds": .integer(600)])
        var sync = CronJobSync(cronJob: cronJob, now: F.at("2025-01-01T05:30:00Z"))
        #expect(sync.plan(jobs: [], gone: []) == .none)
        #expect(sync.requeueAfter == .seconds(1800) + .milliseconds(100))
        var inTime = CronJobSync(cronJob: cronJob, now: F.at("2025-01-01T05:05:00Z"))
        guard case .start(_, let scheduled, _) = inTime.plan(jobs: [], gone: []) else {
            Issue.record("expected a start within the deadline")
            return
        }
        #expect(scheduled == F.at("2025-01-01T05:00:00Z"))
    }

    @Test func finishedJobsLeaveTheActiveListAndSetLastSuccessfulTime() {
        let cronJob = F.cronJob(status: ["active": F.active("hello-1", "hello-2"), "lastScheduleTime": .string("2025-01-01T00:05:00Z")])
        var sync = CronJobSync(cronJob: cronJob, now: F.at("2025-01-01T00:06:00Z"))
        let jobs = [F.job("hello-1", finished: "Complete", completed: "2025-01-01T00:01:00Z"),
                    F.job("hello-2", finished: "Failed"), F.job("stray")]
        #expect(sync.plan(jobs: jobs, gone: []) == .none)
        #expect(sync.active.isEmpty)
        #expect(sync.cronJob["status"]?["active"] == nil)
        #expect(sync.cronJob["status"]?["lastSuccessfulTime"] == .string("2025-01-01T00:01:00Z"))
        #expect(sync.events == [
            .normal("SawCompletedJob", "Saw completed job: hello-1, condition: Complete"),
            .normal("SawCompletedJob", "Saw completed job: hello-2, condition: Failed"),
            .warning("UnexpectedJob", "Saw a job that the controller did not create or forgot: stray"),
        ])
    }

    @Test func vanishedActiveJobsAreDropped() {
        let cronJob = F.cronJob(status: ["active": F.active("hello-1"), "lastScheduleTime": .string("2025-01-01T00:05:00Z")])
        var kept = CronJobSync(cronJob: cronJob, now: F.at("2025-01-01T00:06:00Z"))
        _ = kept.plan(jobs: [], gone: [])
        #expect(kept.active.count == 1)
        var dropped = CronJobSync(cronJob: cronJob, now: F.at("2025-01-01T00:06:00Z"))
        _ = dropped.plan(jobs: [], gone: ["uid-hello-1"])
        #expect(dropped.active.isEmpty)
        #expect(dropped.events == [.normal("MissingJob", "Active job went missing: hello-1")])
    }

    @Test func historyKeepsTheNewestFinishedJobs() {
        let sync = CronJobSync(cronJob: F.cronJob(), now: F.at("2025-01-01T01:00:00Z"))
        let successes = (1...5).map { F.job("ok-\($0)", finished: "Complete", started: "2025-01-01T00:0\($0):00Z") }
        let failures = [F.job("bad-1", finished: "Failed", started: "2025-01-01T00:01:00Z"),
                        F.job("bad-2", finished: "Failed"), F.job("bad-3", finished: "Failed", started: "2025-01-01T00:03:00Z")]
        let doomed = sync.historyToDelete(successes.reversed() + failures + [F.job("running")])
        #expect(F.names(doomed) == ["ok-1", "ok-2", "bad-1", "bad-3"])

        let limited = CronJobSync(cronJob: F.cronJob(spec: ["successfulJobsHistoryLimit": .integer(0),
                                                            "failedJobsHistoryLimit": .integer(3)]), now: F.at("2025-01-01T01:00:00Z"))
        #expect(F.names(limited.historyToDelete(successes + failures)) == F.names(successes))
    }

    @Test func deletedJobsLeaveTheActiveList() {
        var sync = CronJobSync(cronJob: F.cronJob(status: ["active": F.active("hello-1")]), now: F.at("2025-01-01T00:06:00Z"))
        sync.deleted(F.job("hello-1"))
        #expect(sync.active.isEmpty)
        #expect(sync.statusChanged)
        #expect(sync.events == [.normal("SuccessfulDelete", "Deleted job hello-1")])
    }

    @Test func mostRecentScheduleTimeCountsMissedTimes() throws {
        let spec = CronJobSpec(F.cronJob(created: "2025-01-01T00:00:30Z"))
        let schedule = try CronSchedule(parsing: "*/5 * * * *")
        let recent = try CronJobTiming.mostRecent(spec, now: F.at("2025-01-01T00:12:00Z"), schedule: schedule,
                                                  includeStartingDeadline: false)
        #expect(recent.earliest == F.at("2025-01-01T00:00:30Z"))
        #expect(recent.mostRecent == F.at("2025-01-01T00:10:00Z"))
        #expect(recent.missed == .few)
        let early = try CronJobTiming.mostRecent(spec, now: F.at("2025-01-01T00:04:00Z"), schedule: schedule,
                                                 includeStartingDeadline: false)
        #expect(early.mostRecent == nil)
        #expect(early.missed == .none)
    }
}
