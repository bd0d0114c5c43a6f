import Foundation
import Testing
@testable import KetchStore

@Suite("Revisions")
struct RevisionTests {
    @Test("a new store is at revision 1 and the first put gets revision 2")
    func firstPut() async throws {
        let f = try StoreFixture()
        #expect(f.store.currentRevision == 1)
        let r = try await f.store.put("a", "1")
        #expect(r.revision == 2)
        let kv = try #require(f.store.get("a").first)
        #expect(kv.createRevision == 2 && kv.modRevision == 2 && kv.version == 1)
    }

    @Test("versions count puts; a delete starts a new generation")
    func generations() async throws {
        let f = try StoreFixture()
        try await f.store.put("k", "1")
        try await f.store.put("k", "2")
        var kv = try #require(f.store.get("k").first)
        #expect(kv.version == 2 && kv.createRevision == 2 && kv.modRevision == 3)
        let del = try await f.store.deleteRange(DeleteRangeRequest(key: Data("k"), prevKV: true))
        #expect(del.deleted == 1 && del.revision == 4)
        #expect(String(del.prevKVs[0].value) == "2")
        #expect(try f.store.get("k").isEmpty)
        try await f.store.put("k", "3")
        kv = try #require(f.store.get("k").first)
        #expect(kv.version == 1 && kv.createRevision == 5)
    }

    @Test("deleting nothing does not use a revision")
    func emptyDelete() async throws {
        let f = try StoreFixture()
        let del = try await f.store.deleteRange(DeleteRangeRequest(key: Data("missing")))
        #expect(del.deleted == 0 && del.revision == 1)
        #expect(f.store.currentRevision == 1)
    }

    @Test("historical reads see the past; future revisions are refused")
    func history() async throws {
        let f = try StoreFixture()
        try await f.store.put("k", "old")
        try await f.store.put("k", "new")
        #expect(String(try #require(f.store.get("k", revision: 2).first).value) == "old")
        #expect(throws: StoreError.futureRevision) { try f.store.get("k", revision: 10) }
    }

    @Test("put options: prev_kv, ignore_value, ignore_lease, unknown lease")
    func putOptions() async throws {
        let f = try StoreFixture()
        var p = PutRequest(key: Data("k"), value: Data())
        p.ignoreValue = true
        await #expect(throws: StoreError.keyNotFound) { try await f.store.put(p) }
        try await f.store.put("k", "v")
        let r = try await f.store.put(p)
        #expect(try f.store.value("k") == "v" && r.prevKV == nil)
        var withPrev = PutRequest(key: Data("k"), value: Data("w"))
        withPrev.prevKV = true
        #expect(String(try #require(try await f.store.put(withPrev).prevKV).value) == "v")
        var bad = PutRequest(key: Data("k"), value: Data("x"))
        bad.ignoreValue = true
        await #expect(throws: StoreError.valueProvided) { try await f.store.put(bad) }
        await #expect(throws: StoreError.leaseNotFound) { try await f.store.put(PutRequest(key: Data("k"), value: Data(), lease: 42)) }
        await #expect(throws: StoreError.emptyKey) { try await f.store.put(PutRequest(key: Data(), value: Data())) }
    }
}
