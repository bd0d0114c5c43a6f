import Foundation
import KetchControllers
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

@Suite struct JobReconcilerTests {
    typealias F = JobFixtures
    let key = ObjectKey(namespace: "default", name: "pi")

    /// The Job as the apiserver stores it (no uid of the fixture's: the fake assigns one).
    func seedJob(_ api: FakeKubeAPI, _ spec: [String: JSONValue] = [:]) async -> JSONValue {
        var job = F.job(spec)
        job["metadata"]?["uid"] = nil
        return await api.seed(BuiltinResources.jobs, job)
    }

    func pods(_ api: FakeKubeAPI) async -> [JSONValue] { await api.objects(BuiltinResources.pods) }

    /// Sets a pod's phase as the kubelet would.
    func finish(_ api: FakeKubeAPI, _ pod: JSONValue, phase: String) async throws {
        var updated = pod
        updated["status"] = .object(["phase": .string(phase)])
        _ = try await api.updateStatus(BuiltinResources.pods, namespace: "default", updated)
    }

    @Test func runsAJobToCompletion() async throws {
        let api = FakeKubeAPI()
        let context = F.context(api, now: { Date() })
        let job = await seedJob(api, ["completions": .integer(2), "parallelism": .integer(2)])
        let reconciler = JobReconciler()

        #expect(try await reconciler.reconcile(key, context: context) == .done)
        let created = await pods(api)
        #expect(created.count == 2)
        #expect(created.allSatisfy { JobPodState.hasTrackingFinalizer($0) })
        #expect(created.allSatisfy { OwnerReferences.isControlled($0, by: job) })
        let running = await api.object(BuiltinResources.jobs, namespace: "default", name: "pi")
        #expect(running?["status"]?["active"] == .integer(2))
        #expect(running?["status"]?["startTime"] != nil)

        for pod in created { try await finish(api, pod, phase: "Succeeded") }
        _ = try await reconciler.reconcile(key, context: context)
        let done = try #require(await api.object(BuiltinResources.jobs, namespace: "default", name: "pi"))
        #expect(JobConditions.of(done).compactMap { $0["type"]?.string } == ["SuccessCriteriaMet", "Complete"])
        #expect(done["status"]?["succeeded"] == .integer(2))
        #expect(done["status"]?["completionTime"] != nil)
        #expect(await pods(api).allSatisfy { !JobPodState.hasTrackingFinalizer($0) })

        let events = await F.events(api, atLeast: 3)
        let names = created.compactMap { $0["metadata"]?["name"]?.string }
        #expect(Set(events) == Set(names.map { "SuccessfulCreate: Created pod: \($0)" } + ["Completed: Job completed"]))

        // Nothing is left to do, and nothing is counted twice.
        await api.clearActions()
        #expect(try await reconciler.reconcile(key, context: context) == .done)
        #expect(await api.writes.isEmpty)
    }

    @Test func suspendingReleasesAndDeletesTheRunningPods() async throws {
        let api = FakeKubeAPI()
        let context = F.context(api, now: { Date() })
        let job = await seedJob(api, ["suspend": .bool(true)])
        var running = F.pod("pi-abcde", phase: "Running")
        running["metadata"]?["ownerReferences"] = .array([OwnerReferences.controller(for: job, type: BuiltinResources.jobs)])
        running["metadata"]?["labels"] = .object([JobWellKnown.controllerUIDLabel: job["metadata"]?["uid"] ?? .null])
        await api.seed(BuiltinResources.pods, running)

        _ = try await JobReconciler().reconcile(key, context: context)
        let pod = try #require(await api.object(BuiltinResources.pods, namespace: "default", name: "pi-abcde"))
        #expect(pod["metadata"]?["deletionTimestamp"] != nil)
        #expect(!JobPodState.hasTrackingFinalizer(pod))
        let status = await api.object(BuiltinResources.jobs, namespace: "default", name: "pi")?["status"]
        #expect(status?["active"] == nil)
        #expect(status?["terminating"] == .integer(1))
        #expect(status?["failed"] == nil)
        #expect(JobConditions.isTrue("Suspended", in: status?["conditions"]?.array ?? []))
        #expect(Set(await F.events(api, atLeast: 2)) == ["SuccessfulDelete: Deleted pod: pi-abcde", "Suspended: Job suspended"])
    }

    @Test func failedPodIsReplacedOnlyAfterItsBackoff() async throws {
        let api = FakeKubeAPI()
        let clock = JobTestClock(F.at("2025-01-01T00:00:00Z"))
        let context = F.context(api, now: { clock.now })
        _ = await seedJob(api)
        let reconciler = JobReconciler()
        _ = try await reconciler.reconcile(key, context: context)
        let first = try #require(await pods(api).first)
        var failed = first
        failed["status"] = .object(["phase": .string("Failed"), "containerStatuses": .array([.object([
            "name": .string("pi"), "state": .object(["terminated": .object(["finishedAt": .string("2025-01-01T00:00:00Z")])]),
        ])])])
        _ = try await api.updateStatus(BuiltinResources.pods, namespace: "default", failed)

        clock.now = F.at("2025-01-01T00:00:04Z")
        #expect(try await reconciler.reconcile(key, context: context) == .requeue(after: .seconds(6)))
        #expect(await pods(api).count == 1)
        let job = await api.object(BuiltinResources.jobs, namespace: "default", name: "pi")
        #expect(job?["status"]?["failed"] == .integer(1))

        clock.now = F.at("2025-01-01T00:00:11Z")
        _ = try await reconciler.reconcile(key, context: context)
        #expect(await pods(api).count == 2)
    }

    @Test func podCreationFailureIsReportedAndRetried() async throws {
        let api = FakeKubeAPI()
        let context = F.context(api, now: { Date() })
        _ = await seedJob(api)
        await api.failNext(verb: "create", resource: BuiltinResources.pods,
                           with: KubeStatus(code: 403, reason: "Forbidden", message: "exceeded quota: pods"))
        await #expect(throws: KubeStatus.self) { try await JobReconciler().reconcile(key, context: context) }
        let job = await api.object(BuiltinResources.jobs, namespace: "default", name: "pi")
        #expect(job?["status"]?["active"] == nil)
        #expect(await F.events(api, atLeast: 1) == ["FailedCreate: Error creating: exceeded quota: pods"])
    }

    @Test func orphanedPodLosesItsTrackingFinalizer() async throws {
        let api = FakeKubeAPI()
        let context = F.context(api, now: { Date() })
        var orphan = F.pod("orphan", phase: "Running")
        orphan["metadata"]?["finalizers"] = .array([.string("example.com/keep"), .string(JobWellKnown.trackingFinalizer)])
        await api.seed(BuiltinResources.pods, orphan)
        let live = await seedJob(api)
        var owned = F.pod("owned", phase: "Running")
        owned["metadata"]?["name"] = .string("owned")
        owned["metadata"]?["ownerReferences"] = .array([OwnerReferences.controller(for: live, type: BuiltinResources.jobs)])
        await api.seed(BuiltinResources.pods, owned)
        context.informers.start()
        _ = context.informer(BuiltinResources.pods)
        _ = context.informer(BuiltinResources.jobs)
        await context.informers.waitForSync()
        defer { context.informers.stop() }

        let reconciler = JobOrphanPodReconciler()
        _ = try await reconciler.reconcile(ObjectKey(namespace: "default", name: "orphan"), context: context)
        _ = try await reconciler.reconcile(ObjectKey(namespace: "default", name: "owned"), context: context)
        let released = await api.object(BuiltinResources.pods, namespace: "default", name: "orphan")
        #expect(released?["metadata"]?["finalizers"] == .array([.string("example.com/keep")]))
        let kept = await api.object(BuiltinResources.pods, namespace: "default", name: "owned")
        #expect(kept.map(JobPodState.hasTrackingFinalizer) == true)
    }

    @Test func ttlControllerDeletesExpiredJobsInTheBackground() async throws {
        let api = FakeKubeAPI()
        let clock = JobTestClock(F.at("2025-01-01T00:01:30Z"))
        let context = F.context(api, now: { clock.now })
        var job = F.job(["ttlSecondsAfterFinished": .integer(60)], status: ["conditions": .array([
            JobConditions.make("Complete", reason: "CompletionsReached", message: "", now: F.at("2025-01-01T00:01:00Z")),
        ])])
        job["metadata"]?["uid"] = nil
        await api.seed(BuiltinResources.jobs, job)
        context.informers.start()
        _ = context.informer(BuiltinResources.jobs)
        await context.informers.waitForSync()
        defer { context.informers.stop() }

        let reconciler = TTLAfterFinishedReconciler()
        #expect(try await reconciler.reconcile(key, context: context) == .requeue(after: .seconds(30)))
        #expect(await api.object(BuiltinResources.jobs, namespace: "default", name: "pi") != nil)
        clock.now = F.at("2025-01-01T00:02:00Z")
        #expect(try await reconciler.reconcile(key, context: context) == .done)
        #expect(await api.object(BuiltinResources.jobs, namespace: "default", name: "pi") == nil)
        #expect(await api.writes.map(\.verb) == ["delete"])
    }
}
