import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Logging
import Testing
@testable import KetchControllers

/// The work queue, the informer and `--controllers` parsing.
@Suite struct FrameworkTests {
    @Test func workQueueDeduplicatesAndNeverHandsOutAKeyTwiceAtOnce() async {
        let queue = WorkQueue<String>()
        await queue.add("a")
        await queue.add("a")
        await queue.add("b")
        #expect(await queue.length == 2)
        let first = await queue.next()
        #expect(first == "a")
        // Added again while processing: it waits until `done`, then comes back once.
        await queue.add("a")
        #expect(await queue.next() == "b")
        #expect(await queue.length == 0)
        await queue.done("a")
        #expect(await queue.next() == "a")
    }

    @Test func workQueueBacksOffFailuresAndShutsDown() async throws {
        let queue = WorkQueue<String>(baseDelay: .milliseconds(50), maxDelay: .seconds(1))
        await queue.addRateLimited("x")
        #expect(await queue.length == 0)
        let start = ContinuousClock.now
        #expect(await queue.next() == "x")
        #expect(ContinuousClock.now - start >= .milliseconds(40))
        await queue.done("x")
        await queue.shutDown()
        #expect(await queue.next() == nil)
    }

    @Test func informerListsWatchesAndRelistsAfterExpiry() async throws {
        let api = FakeKubeAPI()
        let pods = BuiltinResources.pods
        _ = await api.seed(pods, Fixture.pod("a"))
        let informer = Informer(type: pods, api: api, logger: Logger(label: "test"))
        let seen = EventLog()
        informer.addHandler { seen.append($0) }
        let task = Task { await informer.run() }
        defer { task.cancel() }
        await informer.waitForSync()
        #expect(informer.get(ObjectKey(namespace: "default", name: "a")) != nil)

        _ = try await api.create(pods, namespace: "default", Fixture.pod("b"))
        try await eventually { informer.count == 2 }

        // The watch breaks and the version it resumes from is compacted away: a relist brings
        // the cache back in line, and a deletion missed meanwhile is still reported.
        await api.compact(upTo: Int(await api.currentResourceVersion)! + 1)
        try await api.delete(pods, namespace: "default", name: "a", options: .init(gracePeriodSeconds: 0))
        await api.closeWatches()
        try await eventually { informer.get(ObjectKey(namespace: "default", name: "a")) == nil }
        #expect(seen.names(of: "deleted").contains("a"))
    }

    @Test func controllersFlagFollowsUpstream() throws {
        let catalogue = ControllerCatalogue.all
        let all = try ControllerSelection("*", catalogue: catalogue)
        #expect(all.enabled.count == catalogue.count)
        let some = try ControllerSelection("*,-job,bootstrapsigner", catalogue: catalogue)
        #expect(!some.enabled.contains("job-controller") && some.enabled.contains("deployment-controller"))
        #expect(some.notRun == ["bootstrap-signer-controller"])
        let only = try ControllerSelection("deployment,replicaset-controller", catalogue: catalogue)
        #expect(only.enabled == ["deployment-controller", "replicaset-controller"])
        #expect(throws: ControllerSelection.UnknownController(name: "bogus")) {
            try ControllerSelection("*,bogus", catalogue: catalogue)
        }
        #expect(Set(catalogue.map(\.name)).isSubset(of: Set(ControllerCatalogue.serviceAccounts.keys)))
    }
}

/// Events an informer delivered, collected from its handler.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [InformerEvent] = []
    func append(_ event: InformerEvent) { lock.lock(); events.append(event); lock.unlock() }
    func names(of kind: String) -> [String] {
        lock.lock(); defer { lock.unlock() }
        return events.compactMap { event in
            switch (event, kind) {
            case (.added(let o), "added"), (.deleted(let o), "deleted"): return o["metadata"]?["name"]?.string
            case (.updated(_, let o), "updated"): return o["metadata"]?["name"]?.string
            default: return nil
            }
        }
    }
}

/// Polls `condition` every 50 ms for up to 60 s (two cores running tests in parallel can be slow).
func eventually(_ what: String = "condition", _ condition: @Sendable () async throws -> Bool) async throws {
    for _ in 0..<1200 {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("timed out waiting for \(what)")
}

/// Small objects for the framework's and the simple controllers' tests.
enum Fixture {
    static func pod(_ name: String, namespace: String = "default", node: String? = nil, phase: String? = nil) -> JSONValue {
        var spec: [String: JSONValue] = ["containers": .array([.object(["name": .string("c"), "image": .string("busybox")])])]
        if let node { spec["nodeName"] = .string(node) }
        var pod: [String: JSONValue] = [
            "apiVersion": .string("v1"), "kind": .string("Pod"),
            "metadata": .object(["name": .string(name), "namespace": .string(namespace)]),
            "spec": .object(spec),
        ]
        if let phase { pod["status"] = .object(["phase": .string(phase)]) }
        return .object(pod)
    }

    static func namespace(_ name: String) -> JSONValue {
        .object(["apiVersion": .string("v1"), "kind": .string("Namespace"), "metadata": .object(["name": .string(name)]),
                 "spec": .object(["finalizers": .array([.string("kubernetes")])])])
    }

    static func node(_ name: String, podCIDR: String? = nil) -> JSONValue {
        var spec: [String: JSONValue] = [:]
        if let podCIDR { spec["podCIDR"] = .string(podCIDR); spec["podCIDRs"] = .array([.string(podCIDR)]) }
        return .object(["apiVersion": .string("v1"), "kind": .string("Node"), "metadata": .object(["name": .string(name)]),
                        "spec": .object(spec)])
    }

    /// A context over `api` with started informers and options `configure` sets.
    static func context(_ api: FakeKubeAPI, configure: (inout ControllerOptions) -> Void = { _ in }) -> ControllerContext {
        let logger = Logger(label: "test")
        var options = ControllerOptions()
        configure(&options)
        let informers = InformerFactory(api: api, logger: logger)
        informers.start()
        return ControllerContext(api: api, informers: informers,
                                 events: EventRecorder(api: api, component: "test", host: "test", logger: logger),
                                 logger: logger, options: options)
    }
}

@Suite struct EventRateLimitTests {
    @Test func aBurstGoesAtOnceThenTheRateHolds() {
        let start = ContinuousClock.now
        var bucket = EventRateLimit.Bucket(limit: EventRateLimit(qps: 50, burst: 100), now: start)
        for _ in 0..<100 { #expect(bucket.take(now: start) == .zero) }
        // The 101st waits one token's time (20 ms at 50/s); the next one more.
        #expect(bucket.take(now: start) == .milliseconds(20))
        #expect(bucket.take(now: start) == .milliseconds(40))
        // After a quiet second the bucket has refilled 50 tokens, never more than the burst.
        #expect(bucket.take(now: start + .seconds(1)) == .zero)
        #expect(bucket.take(now: start + .seconds(100)) == .zero)
        for _ in 0..<99 { #expect(bucket.take(now: start + .seconds(100)) == .zero) }
        #expect(bucket.take(now: start + .seconds(100)) > .zero)
    }
}
