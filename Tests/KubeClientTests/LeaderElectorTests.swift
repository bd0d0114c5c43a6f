import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Synchronization
import Testing

/// Leader election over a Lease, as client-go's leaderelection behaves.
@Suite struct LeaderElectorTests {
    /// Short periods so a takeover happens within seconds.
    func config(_ identity: String, release: Bool = false, leaseSeconds: Int = 2) -> LeaderElectionConfig {
        LeaderElectionConfig(name: "kube-controller-manager", identity: identity, leaseDuration: .seconds(leaseSeconds),
                             renewDeadline: .milliseconds(leaseSeconds * 750), retryPeriod: .milliseconds(200), releaseOnCancel: release)
    }

    /// Polls `condition` for up to 20 s.
    func eventually(_ condition: @Sendable () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    func lease(_ api: FakeKubeAPI) async -> JSONValue? {
        await api.object(BuiltinResources.leases, namespace: "kube-system", name: "kube-controller-manager")
    }

    @Test func oneLeadsAndTheOtherTakesOverWhenItStops() async throws {
        let api = FakeKubeAPI()
        let leading = Shared<Set<String>>([])
        // A lease long enough that a renewal delayed by a busy machine (the whole suite runs in
        // parallel on two cores) does not let b in while a still leads.
        let a = LeaderElector(api: api, config: config("a", leaseSeconds: 8))
        let b = LeaderElector(api: api, config: config("b", leaseSeconds: 8))
        func start(_ elector: LeaderElector, _ name: String) -> Task<Void, Never> {
            Task {
                await elector.run(onStartedLeading: { _ = leading.withLock { $0.insert(name) } },
                                  onStoppedLeading: { _ = leading.withLock { $0.remove(name) } })
            }
        }
        let runA = start(a, "a")
        #expect(await eventually { leading.withLock { $0 } == ["a"] })
        let runB = start(b, "b")
        // b keeps trying for well over a lease duration and never leads while a renews.
        try await Task.sleep(for: .seconds(3))
        #expect(leading.withLock { $0 } == ["a"])
        #expect(await b.leader == "a")
        let held = try #require(await lease(api))
        #expect(held[path: ["spec", "holderIdentity"]] == .string("a"))
        #expect(held[path: ["spec", "leaseDurationSeconds"]] == .integer(8))
        #expect(held[path: ["spec", "leaseTransitions"]] == .integer(0))
        #expect(held[path: ["spec", "renewTime"]]?.string?.count == 27, "MicroTime: six fractional digits")

        // a stops without releasing: b waits for the lease to expire, then takes it.
        runA.cancel()
        await runA.value
        #expect(await eventually { leading.withLock { $0 } == ["b"] })
        let taken = try #require(await lease(api))
        #expect(taken[path: ["spec", "holderIdentity"]] == .string("b"))
        #expect(taken[path: ["spec", "leaseTransitions"]] == .integer(1))
        runB.cancel()
        await runB.value
    }

    @Test func releaseOnCancelHandsTheLeaseBack() async throws {
        let api = FakeKubeAPI()
        let a = LeaderElector(api: api, config: config("a", release: true))
        let started = Shared(false)
        let run = Task { await a.run(onStartedLeading: { started.withLock { $0 = true } }) }
        #expect(await eventually { started.withLock { $0 } })
        run.cancel()
        await run.value
        let released = try #require(await lease(api))
        #expect(released[path: ["spec", "holderIdentity"]] == .string(""))
        #expect(released[path: ["spec", "leaseDurationSeconds"]] == .integer(1))
    }

    @Test func leadershipIsLostWhenRenewalsFail() async throws {
        let api = FakeKubeAPI()
        let a = LeaderElector(api: api, config: config("a"))
        let started = Shared(false)
        let stopped = Shared(false)
        let run = Task {
            await a.run(onStartedLeading: { started.withLock { $0 = true } },
                        onStoppedLeading: { stopped.withLock { $0 = true } })
        }
        #expect(await eventually { started.withLock { $0 } })
        #expect(!stopped.withLock { $0 })
        for _ in 0..<100 {
            await api.failNext(verb: "update", resource: BuiltinResources.leases, with: KubeStatus.internalError("etcd down"))
            await api.failNext(verb: "get", resource: BuiltinResources.leases, with: KubeStatus.internalError("etcd down"))
        }
        // run gives up by itself once renewDeadline has passed without a renewal.
        #expect(await eventually { stopped.withLock { $0 } })
        run.cancel()
        await run.value
    }
}

/// A value several tasks read and write.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
