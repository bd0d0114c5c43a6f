import Foundation
import Testing
@testable import KetchStore

@Suite("Range")
struct RangeTests {
    /// Keys a..e put in reverse order, so create/mod revisions run against key order.
    func seeded() async throws -> StoreFixture {
        let f = try StoreFixture()
        for (i, k) in ["e", "d", "c", "b", "a"].enumerated() {
            try await f.store.put(k, "v\(i)")
        }
        try await f.store.put("c", "again")
        return f
    }

    @Test("prefix, from-key and [key, end) ranges")
    func ranges() async throws {
        let f = try await seeded()
        #expect(try f.store.get("b", end: .before(Data("d"))).map { String($0.key) } == ["b", "c"])
        #expect(try f.store.get("c", end: .fromKey).map { String($0.key) } == ["c", "d", "e"])
        try await f.store.put("ab", "x")
        #expect(try f.store.get("a", end: .before(prefixRangeEnd(Data("a")))).map { String($0.key) } == ["a", "ab"])
        #expect(prefixRangeEnd(Data([0x61, 0xff])) == Data([0x62]))
        #expect(prefixRangeEnd(Data([0xff])) == Data([0]))
    }

    @Test("limit sets more and count counts everything")
    func limit() async throws {
        let f = try await seeded()
        var r = RangeRequest(key: Data("a"), rangeEnd: .fromKey)
        r.limit = 2
        let resp = try f.store.range(r)
        #expect(resp.kvs.map { String($0.key) } == ["a", "b"] && resp.more && resp.count == 5)
        r.limit = 5
        #expect(try f.store.range(r).more == false)
        r.countOnly = true
        let counted = try f.store.range(r)
        #expect(counted.kvs.isEmpty && counted.count == 5)
    }

    @Test("sorting by each target, both orders")
    func sorting() async throws {
        let f = try await seeded()
        func keys(_ target: RangeRequest.SortTarget, _ order: RangeRequest.SortOrder) throws -> [String] {
            var r = RangeRequest(key: Data("a"), rangeEnd: .fromKey)
            r.sortTarget = target
            r.sortOrder = order
            return try f.store.range(r).kvs.map { String($0.key) }
        }
        #expect(try keys(.key, .descend) == ["e", "d", "c", "b", "a"])
        #expect(try keys(.create, .ascend) == ["e", "d", "c", "b", "a"])
        #expect(try keys(.mod, .descend) == ["c", "a", "b", "d", "e"])
        #expect(try keys(.version, .descend) == ["c", "a", "b", "d", "e"])
        #expect(try keys(.value, .none) == ["c", "e", "d", "b", "a"])
    }

    @Test("min/max mod and create revision filters, keys-only")
    func filters() async throws {
        let f = try await seeded()
        var r = RangeRequest(key: Data("a"), rangeEnd: .fromKey)
        r.minModRevision = 5
        r.keysOnly = true
        let resp = try f.store.range(r)
        #expect(resp.kvs.map { String($0.key) } == ["a", "b", "c"])
        #expect(resp.kvs.allSatisfy { $0.value.isEmpty })
        #expect(resp.count == 5)
        r = RangeRequest(key: Data("a"), rangeEnd: .fromKey)
        r.maxCreateRevision = 3
        #expect(try f.store.range(r).kvs.map { String($0.key) } == ["d", "e"])
    }

    @Test("empty key is refused")
    func emptyKey() throws {
        let f = try StoreFixture()
        #expect(throws: StoreError.emptyKey) { try f.store.range(RangeRequest(key: Data())) }
    }
}
