import Foundation
import Testing
@testable import KetchStore

@Suite("Watch events")
struct WatchTests {
    @Test("events come in revision order with prev kv, from the ring and from history alike")
    func ringAndHistory() async throws {
        let f = try StoreFixture()
        try await f.store.put("w/a", "1")  // 2
        try await f.store.put("other", "x")  // 3
        try await f.store.put("w/a", "2")  // 4
        _ = try await f.store.deleteRange(DeleteRangeRequest(key: Data("w/a")))  // 5
        let end = RangeEnd.before(prefixRangeEnd(Data("w/")))
        let live = try f.store.watchEvents(key: Data("w/"), end: end, from: 2)
        #expect(live.events.map(\.kv.modRevision) == [2, 4, 5])
        #expect(live.events.map(\.kind) == [.put, .put, .delete])
        #expect(live.events[1].prevKV.map { String($0.value) } == "1")
        #expect(live.events[2].prevKV.map { String($0.value) } == "2")
        #expect(live.through == 5 && live.currentRevision == 5)
        // After a restart the ring is empty: the same events come from the index and storage.
        try f.reopen()
        let replayed = try f.store.watchEvents(key: Data("w/"), end: end, from: 2)
        #expect(replayed.events == live.events)
    }

    @Test("a watch older than the compaction floor is refused; one from the future waits")
    func bounds() async throws {
        let f = try StoreFixture()
        try await f.store.put("k", "1")
        try await f.store.put("k", "2")
        _ = try await f.store.compact(revision: 3)
        #expect(throws: StoreError.compacted) { try f.store.watchEvents(key: Data("k"), end: .single, from: 2) }
        let future = try f.store.watchEvents(key: Data("k"), end: .single, from: 10)
        #expect(future.events.isEmpty && future.through == 9)
    }

    @Test("a waiting watcher wakes on the next commit")
    func wakes() async throws {
        let f = try StoreFixture()
        let store = f.store
        let waiter = Task { await store.waitForCommit(after: store.currentRevision) }
        try await Task.sleep(for: .milliseconds(50))
        try await store.put("k", "v")
        await waiter.value
        #expect(try store.watchEvents(key: Data("k"), end: .single, from: 2).events.count == 1)
    }

    @Test("batches stop at whole revisions")
    func batching() async throws {
        let f = try StoreFixture()
        for i in 0..<10 { try await f.store.put("k\(i)", "v") }
        let batch = try f.store.watchEvents(key: Data("k"), end: .fromKey, from: 2, maxRevisions: 3)
        #expect(batch.events.map(\.kv.modRevision) == [2, 3, 4] && batch.through == 4)
    }
}

@Suite("Leases")
struct LeaseTests {
    @Test("revoking a lease deletes its keys in one revision")
    func revoke() async throws {
        let f = try StoreFixture()
        let lease = try await f.store.grantLease(id: 0, ttl: 60)
        #expect(lease.id > 0 && lease.grantedTTL == 60)
        try await f.store.put(PutRequest(key: Data("a"), value: Data("1"), lease: lease.id))
        try await f.store.put(PutRequest(key: Data("b"), value: Data("1"), lease: lease.id))
        #expect(f.store.leaseInfo(id: lease.id)?.keys == [Data("a"), Data("b")])
        let revision = try await f.store.revokeLease(id: lease.id)
        #expect(revision == 4)
        #expect(try f.store.get("a", end: .fromKey).isEmpty)
        #expect(f.store.leaseInfo(id: lease.id) == nil)
        await #expect(throws: StoreError.leaseNotFound) { try await f.store.revokeLease(id: lease.id) }
    }

    @Test("a key moved to another lease, or deleted, leaves the old lease")
    func detach() async throws {
        let f = try StoreFixture()
        let one = try await f.store.grantLease(id: 1, ttl: 60)
        let two = try await f.store.grantLease(id: 2, ttl: 60)
        await #expect(throws: StoreError.leaseExists) { try await f.store.grantLease(id: 1, ttl: 60) }
        try await f.store.put(PutRequest(key: Data("k"), value: Data(), lease: one.id))
        try await f.store.put(PutRequest(key: Data("k"), value: Data(), lease: two.id))
        #expect(f.store.leaseInfo(id: one.id)?.keys == [])
        _ = try await f.store.revokeLease(id: one.id)
        #expect(try f.store.value("k") == "")
    }

    @Test("leases survive a restart with their TTL restarted and keys attached")
    func restart() async throws {
        let f = try StoreFixture()
        let lease = try await f.store.grantLease(id: 7, ttl: 30)
        try await f.store.put(PutRequest(key: Data("k"), value: Data("v"), lease: lease.id))
        try f.reopen()
        let info = try #require(f.store.leaseInfo(id: 7))
        #expect(info.grantedTTL == 30 && info.keys == [Data("k")] && info.ttl >= 29)
    }

    @Test("short TTLs are raised to etcd's minimum; huge ones refused")
    func ttlLimits() async throws {
        let f = try StoreFixture()
        #expect(try await f.store.grantLease(id: 0, ttl: 1).grantedTTL == LeaseLimits.minimumTTL)
        await #expect(throws: StoreError.leaseTTLTooLarge) { try await f.store.grantLease(id: 0, ttl: LeaseLimits.maximumTTL + 1) }
    }
}
