import EtcdClient
import Foundation
import Synchronization
import Testing

/// The concurrency recipes (session, mutex, election) against Ketch's etcd services in process.
@Suite("EtcdConcurrency", .serialized)
struct EtcdConcurrencyTests {
    static func b(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// Whether `task` is still running after `delay`.
    static func stillRunning<T: Sendable>(_ task: Task<T, any Error>, after delay: Duration = .milliseconds(400)) async -> Bool {
        let done = Flag()
        let watcher = Task {
            _ = try? await task.value
            done.set()
        }
        try? await Task.sleep(for: delay)
        watcher.cancel()
        return !done.value
    }

    final class Flag: Sendable {
        private let state = Mutex(false)
        func set() { state.withLock { $0 = true } }
        var value: Bool { state.withLock { $0 } }
    }

    final class Seen: Sendable {
        let values = Mutex<[String]>([])
    }

    @Test("keys are laid out as etcd's Go recipes lay them out")
    func keyLayout() {
        #expect(EtcdConcurrencyKeys.hex(0x694d_7d3f_1a2b_0c0d) == "694d7d3f1a2b0c0d")
        #expect(EtcdConcurrencyKeys.hex(0xabc) == "abc")
        #expect(EtcdConcurrencyKeys.hex(-0x1f) == "-1f")
        #expect(EtcdConcurrencyKeys.key(prefix: Self.b("lock/"), lease: 0x1234) == Self.b("lock/1234"))
        // make-mirror's strings.Replace(key, prefix, destPrefix, 1).
        #expect(EtcdConcurrencyKeys.replacingFirst(Self.b("a/"), with: Self.b("b/"), in: Self.b("a/x/a/")) == Self.b("b/x/a/"))
        #expect(EtcdConcurrencyKeys.replacingFirst(Self.b("a/"), with: Self.b("b/"), in: Self.b("xa/y")) == Self.b("xb/y"))
        #expect(EtcdConcurrencyKeys.replacingFirst(Self.b("a/"), with: [], in: Self.b("a/k")) == Self.b("k"))
        #expect(EtcdConcurrencyKeys.replacingFirst([], with: Self.b("d/"), in: Self.b("k")) == Self.b("d/k"))
        #expect(EtcdConcurrencyKeys.replacingFirst(Self.b("zz"), with: Self.b("d/"), in: Self.b("k")) == Self.b("k"))
        #expect(EtcdConcurrencyError.sessionExpired.description == "mutex: session is expired")
        #expect(EtcdConcurrencyError.locked.description == "mutex: Locked by another session")
    }

    @Test("a mutex excludes a second session until unlocked; the waiter then holds it")
    func mutexExcludes() async throws {
        try await EtcdClientTests.withClient { etcd, _ in
            let s1 = try await EtcdSession.start(client: etcd, ttl: 10)
            let s2 = try await EtcdSession.start(client: etcd, ttl: 10)
            #expect(s1.ttl == 10 && s1.leaseID != s2.leaseID)
            let m1 = EtcdMutex(session: s1, name: "locks/a")
            let m2 = EtcdMutex(session: s2, name: "locks/a")
            try await m1.lock()
            #expect(m1.key == Self.b("locks/a/" + EtcdConcurrencyKeys.hex(s1.leaseID)))
            let held = try #require(try await etcd.get(m1.key))
            #expect(held.lease == s1.leaseID && held.value.isEmpty && held.createRevision == m1.revision)
            #expect(m1.header?.revision == held.createRevision)

            let waiter = Task { try await m2.lock() }
            #expect(await Self.stillRunning(waiter))
            // Both waiters' keys exist; the older one holds the lock.
            let keys = try await etcd.list(prefix: Self.b("locks/a/"))
            #expect(keys.kvs.count == 2)

            // A third session cannot take it either.
            let s3 = try await EtcdSession.start(client: etcd, ttl: 10)
            let m3 = EtcdMutex(session: s3, name: "locks/a")
            await #expect(throws: EtcdConcurrencyError.locked) { try await m3.tryLock() }
            #expect(try await etcd.list(prefix: Self.b("locks/a/")).kvs.count == 2)

            try await m1.unlock()
            try await waiter.value
            #expect(m2.key == Self.b("locks/a/" + EtcdConcurrencyKeys.hex(s2.leaseID)))
            // The transaction under the lock: only the owner's compare holds.
            let owned = try await etcd.txn(compares: [m2.isOwner], success: [.put(key: Self.b("guarded"), value: Self.b("1"))])
            #expect(owned.succeeded)
            try await m2.unlock()
            try await m3.tryLock()
            try await m3.unlock()
            for s in [s1, s2, s3] { try await s.close() }
            #expect(try await etcd.list(prefix: Self.b("locks/")).kvs.isEmpty)
        }
    }

    @Test("cancelling a waiting lock removes the waiter's key")
    func cancelledLockCleansUp() async throws {
        try await EtcdClientTests.withClient { etcd, _ in
            let s1 = try await EtcdSession.start(client: etcd, ttl: 10)
            let s2 = try await EtcdSession.start(client: etcd, ttl: 10)
            let m1 = EtcdMutex(session: s1, name: "c")
            let m2 = EtcdMutex(session: s2, name: "c")
            try await m1.lock()
            let waiter = Task { try await m2.lock() }
            #expect(await Self.stillRunning(waiter))
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            let left = try await etcd.list(prefix: Self.b("c/"))
            #expect(left.kvs.map(\.key) == [m1.key])
            await s1.orphan()
            await s2.orphan()
        }
    }

    @Test("a waiter whose lease is revoked while waiting gets sessionExpired; the session ends")
    func sessionExpiresWhileWaiting() async throws {
        try await EtcdClientTests.withClient { etcd, _ in
            let s1 = try await EtcdSession.start(client: etcd, ttl: 10)
            let s2 = try await EtcdSession.start(client: etcd, ttl: 3)
            let m1 = EtcdMutex(session: s1, name: "x")
            let m2 = EtcdMutex(session: s2, name: "x")
            try await m1.lock()
            let waiter = Task { try await m2.lock() }
            #expect(await Self.stillRunning(waiter))
            try await etcd.leaseRevoke(id: s2.leaseID)
            try await m1.unlock()
            await #expect(throws: EtcdConcurrencyError.sessionExpired) { try await waiter.value }
            // Renewals (every TTL/3) find the lease gone.
            let ended = Task { await s2.waitUntilDone() }
            let deadline = ContinuousClock.now + .seconds(5)
            while !s2.isDone && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            #expect(s2.isDone)
            await ended.value
            #expect(!s1.isDone)
            try await s1.close()
            #expect(s1.isDone)
        }
    }

    @Test("an election: one leader at a time, observers see each leader and proclamation")
    func election() async throws {
        try await EtcdClientTests.withClient { etcd, _ in
            let observerSession = try await EtcdSession.start(client: etcd)
            let observer = EtcdElection(session: observerSession, name: "el")
            await #expect(throws: EtcdConcurrencyError.noLeader) { _ = try await observer.leader() }
            let seen = Seen()
            let observing = Task {
                for await r in observer.observe() {
                    let kv = try #require(r.kvs.first)
                    #expect(r.count == 0 && !r.more && r.header.revision >= kv.modRevision)
                    seen.values.withLock { $0.append(kv.valueString) }
                }
            }

            let s1 = try await EtcdSession.start(client: etcd)
            let s2 = try await EtcdSession.start(client: etcd)
            let e1 = EtcdElection(session: s1, name: "el")
            let e2 = EtcdElection(session: s2, name: "el")
            try await e1.campaign(Self.b("one"))
            #expect(e1.key == Self.b("el/" + EtcdConcurrencyKeys.hex(s1.leaseID)))
            let second = Task { try await e2.campaign(Self.b("two")) }
            #expect(await Self.stillRunning(second))
            #expect(try await observer.leader().kvs.first?.valueString == "one")

            try await e1.proclaim(Self.b("uno"))
            #expect(try await observer.leader().kvs.first?.valueString == "uno")
            // Only a candidate may proclaim (as in Go, a waiting candidate updates its own proposal).
            await #expect(throws: EtcdConcurrencyError.notLeader) { try await observer.proclaim(Self.b("x")) }

            try await e1.resign()
            try await second.value
            #expect(try await observer.leader().kvs.first?.key == e2.key)

            let deadline = ContinuousClock.now + .seconds(5)
            while seen.values.withLock({ $0.count }) < 3 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(seen.values.withLock { $0 } == ["one", "uno", "two"])
            observing.cancel()
            _ = await observing.result
            try await e2.resign()
            #expect(try await etcd.list(prefix: Self.b("el/")).kvs.isEmpty)
            for s in [s1, s2, observerSession] { try await s.close() }
        }
    }

    @Test("campaigning again with the same session keeps the key and proclaims the new value")
    func campaignAgain() async throws {
        try await EtcdClientTests.withClient { etcd, _ in
            let s = try await EtcdSession.start(client: etcd)
            let e = EtcdElection(session: s, name: "re")
            try await e.campaign(Self.b("a"))
            let first = try #require(try await etcd.get(e.key))
            let again = EtcdElection(session: s, name: "re")
            try await again.campaign(Self.b("b"))
            let now = try #require(try await etcd.get(again.key))
            #expect(now.key == first.key && now.createRevision == first.createRevision && now.valueString == "b")
            #expect(again.revision == first.createRevision)
            try await s.close()
        }
    }
}
