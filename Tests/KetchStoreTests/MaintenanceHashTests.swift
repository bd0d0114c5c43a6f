import Foundation
import Testing
@testable import KetchStore

@Suite("Maintenance: HashKV")
struct MaintenanceHashTests {
    @Test("hashes equal etcd 3.5.1's for the same history")
    func etcdValues() async throws {
        // Taken from a real etcd 3.5.1: `etcdctl endpoint hashkv` after each step.
        let f = try StoreFixture()
        #expect(try await f.store.hashKV(revision: 0).hash == 1_084_519_789)
        try await f.store.put("a", "1")
        #expect(try await f.store.hashKV(revision: 0).hash == 2_587_454_935)
        try await f.store.put("a", "2")
        let h = try await f.store.hashKV(revision: 0)
        #expect(h == KVHash(hash: 535_221_974, currentRevision: 3, compactRevision: -1, hashRevision: 3))
        #expect(try await f.store.hashKV(revision: 2).hash == 2_587_454_935)
        #expect(try await f.store.hashKV(revision: 1).hash == 1_084_519_789)
    }

    @Test("a hash is stable for the same data and revision and changes with the data")
    func stability() async throws {
        let a = try StoreFixture()
        let b = try StoreFixture()
        for f in [a, b] {
            for i in 0..<20 { try await f.store.put("k/\(i % 6)", "v\(i)") }
            _ = try await f.store.deleteRange(DeleteRangeRequest(key: Data("k/3")))
        }
        let before = try await a.store.hashKV(revision: 0)
        #expect(try await b.store.hashKV(revision: 0) == before)
        #expect(try await a.store.hashKV(revision: 0) == before)
        try await a.store.put("k/1", "changed")
        let after = try await a.store.hashKV(revision: 0)
        #expect(after.hash != before.hash)
        #expect(try await a.store.hashKV(revision: before.hashRevision).hash == before.hash)
        try a.reopen()
        #expect(try await a.store.hashKV(revision: 0) == after)
    }

    @Test("after compaction only what etcd keeps is hashed, giving etcd's numbers")
    func compaction() async throws {
        // Values from a real etcd 3.5.1 running the same commands.
        let f = try StoreFixture()
        try await f.store.put("a", "1")  // 2
        try await f.store.put("b", "1")  // 3
        try await f.store.put("a", "2")  // 4
        _ = try await f.store.deleteRange(DeleteRangeRequest(key: Data("b")))  // 5
        try await f.store.put("c", "1")  // 6
        #expect(try await f.store.hashKV(revision: 5).hash == 1_416_966_122)
        #expect(try await f.store.hashKV(revision: 6).hash == 3_076_932_441)
        _ = try await f.store.compact(revision: 4)
        #expect(try await f.store.hashKV(revision: 5).hash == 194_725_478)
        #expect(try await f.store.hashKV(revision: 0) == KVHash(hash: 2_664_599_291, currentRevision: 6, compactRevision: 4, hashRevision: 6))
        await #expect(throws: StoreError.compacted) { try await f.store.hashKV(revision: 4) }
        await #expect(throws: StoreError.futureRevision) { try await f.store.hashKV(revision: 7) }
    }

    @Test("Hash covers everything kept and changes with it")
    func wholeHash() async throws {
        let f = try StoreFixture()
        try await f.store.put("a", "1")
        let first = try await f.store.hash()
        #expect(first.revision == 2)
        #expect(try await f.store.hash() == first)
        try await f.store.put("a", "2")
        #expect(try await f.store.hash().hash != first.hash)
    }

    @Test("CRC-32C matches the standard check value")
    func crc() {
        var c = CRC32C()
        c.update(Data("123456789".utf8))
        #expect(c.value == 0xE306_9283)
        var split = CRC32C()
        split.update(Data("1234".utf8))
        split.update(Data("56789".utf8))
        #expect(split.value == c.value)
    }
}
