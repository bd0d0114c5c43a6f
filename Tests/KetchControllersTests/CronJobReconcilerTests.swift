import Foundation
import KetchControllers
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

@Suite struct CronJobReconcilerTests {
    typealias F = CronJobFixtures
    let key = ObjectKey(namespace: "default", name: "hello")

    /// A fake apiserver holding the CronJob (fresh uid), and a context whose clock `clock` sets.
    func setUp(_ cronJob: JSONValue, clock: JobTestClock) async -> (FakeKubeAPI, ControllerContext, JSONValue) {
        let api = FakeKubeAPI()
        var object = cronJob
        object["metadata"]?["uid"] = nil
        let stored = await api.seed(BuiltinResources.cronJobs, object)
        return (api, JobFixtures.context(api, now: { clock.now }), stored)
    }

    /// A Job the CronJob controls, stored.
    func seedJob(_ api: FakeKubeAPI, _ name: String, owner: JSONValue, finished: String? = nil, started: String? = nil) async -> JSONValue {
        var job = F.job(name, finished: finished, started: started, completed: finished == "Complete" ? started : nil)
        job["metadata"]?["uid"] = nil
        job["metadata"]?["ownerReferences"] = .array([OwnerReferences.controller(for: owner, type: BuiltinResources.cronJobs)])
        return await api.seed(BuiltinResources.jobs, job)
    }

    func jobNames(_ api: FakeKubeAPI) async -> [String] { F.names(await api.objects(BuiltinResources.jobs)) }

    @Test func startsTheDueJobOnceAndWakesAtTheNextTime() async throws {
        let clock = JobTestClock(F.at("2025-01-01T00:05:30Z"))
        let (api, context, _) = await setUp(F.cronJob(), clock: clock)
        let reconciler = CronJobReconciler()
        #expect(try await reconciler.reconcile(key, context: context) == .requeue(after: .seconds(270) + .milliseconds(100)))
        #expect(await jobNames(api) == ["hello-28928165"])
        let cronJob = try #require(await api.object(BuiltinResources.cronJobs, namespace: "default", name: "hello"))
        #expect(cronJob["status"]?["lastScheduleTime"] == .string("2025-01-01T00:05:00Z"))
        #expect(cronJob["status"]?["active"]?.array?.first?["name"] == .string("hello-28928165"))

        await api.clearActions()
        clock.now = F.at("2025-01-01T00:06:00Z")
        _ = try await reconciler.reconcile(key, context: context)
        #expect(await jobNames(api) == ["hello-28928165"])
        #expect(await api.writes.isEmpty)
        #expect(await JobFixtures.events(api, atLeast: 1) == ["SuccessfulCreate: Created job hello-28928165"])
    }

    @Test func replaceDeletesTheRunningJobFirst() async throws {
        let clock = JobTestClock(F.at("2025-01-01T00:10:10Z"))
        let (api, context, stored) = await setUp(F.cronJob(spec: ["concurrencyPolicy": .string("Replace")]), clock: clock)
        let old = await seedJob(api, "hello-28928165", owner: stored)
        var cronJob = stored
        cronJob["status"] = .object(["active": .array([CronJobTemplate.reference(to: old)]),
                                     "lastScheduleTime": .string("2025-01-01T00:05:00Z")])
        await api.seed(BuiltinResources.cronJobs, cronJob)

        _ = try await CronJobReconciler().reconcile(key, context: context)
        #expect(await jobNames(api) == ["hello-28928170"])
        let deletes = await api.writes.filter { $0.verb == "delete" }.map(\.name)
        #expect(deletes == ["hello-28928165"])
        let active = await api.object(BuiltinResources.cronJobs, namespace: "default", name: "hello")?["status"]?["active"]?.array
        #expect(active?.compactMap { $0["name"]?.string } == ["hello-28928170"])
        let events = await JobFixtures.events(api, atLeast: 2)
        #expect(Set(events) == ["SuccessfulDelete: Deleted job hello-28928165", "SuccessfulCreate: Created job hello-28928170"])
    }

    @Test func historyBeyondTheLimitIsDeleted() async throws {
        let clock = JobTestClock(F.at("2025-01-01T00:06:00Z"))
        let (api, context, stored) = await setUp(F.cronJob(status: ["lastScheduleTime": .string("2025-01-01T00:05:00Z")]),
                                                 clock: clock)
        for minute in 1...4 {
            _ = await seedJob(api, "hello-\(minute)", owner: stored, finished: "Complete", started: "2025-01-01T00:0\(minute):00Z")
        }
        _ = try await CronJobReconciler().reconcile(key, context: context)
        #expect(await jobNames(api) == ["hello-2", "hello-3", "hello-4"])
        let cronJob = await api.object(BuiltinResources.cronJobs, namespace: "default", name: "hello")
        #expect(cronJob?["status"]?["lastSuccessfulTime"] == .string("2025-01-01T00:04:00Z"))
    }

    @Test func aJobLeftByAnEarlierAttemptJoinsTheActiveList() async throws {
        let clock = JobTestClock(F.at("2025-01-01T00:05:30Z"))
        let (api, context, stored) = await setUp(F.cronJob(), clock: clock)
        let existing = await seedJob(api, "hello-28928165", owner: stored)
        _ = try await CronJobReconciler().reconcile(key, context: context)
        let cronJob = await api.object(BuiltinResources.cronJobs, namespace: "default", name: "hello")
        #expect(cronJob?["status"]?["active"]?.array?.first?["uid"] == existing["metadata"]?["uid"])
        #expect(cronJob?["status"]?["lastScheduleTime"] == .string("2025-01-01T00:05:00Z"))
        #expect(await jobNames(api) == ["hello-28928165"])
    }
}
