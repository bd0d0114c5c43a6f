import Foundation
import Testing
@testable import KetchStore

/// After a restart the store holds keys and revisions but no values; each value is read from
/// storage the first time something needs it.
@Suite("Values read back lazily after a restart")
struct DeferredValueTests {
    private func reopened() async throws -> StoreFixture {
        let f = try StoreFixture()
        try await f.store.put("a", "alpha")
        try await f.store.put("b", "beta")
        try await f.store.put("c", "gamma")
        try await f.store.put("empty", "")
        try await f.store.put("gone", "x")
        _ = try await f.store.deleteRange(DeleteRangeRequest(key: Data("gone")))
        try f.reopen()
        return f
    }

    private func memoryValue(_ store: MVCCStore, _ key: String) -> Data?? {
        store.state.withLock { store.state.index.history(Data(key))?.latest.map(\.value) }
    }

    @Test("nothing is in memory after the restart; a read returns the value and keeps it")
    func readsFetchAndKeep() async throws {
        let f = try await reopened()
        #expect(memoryValue(f.store, "a") == .some(nil))
        #expect(try f.store.value("a") == "alpha")
        #expect(memoryValue(f.store, "a") == .some(Data("alpha")))
        #expect(try f.store.value("empty") == "")
        #expect(try f.store.get("gone").isEmpty)
        let all = try f.store.get("\0", end: .fromKey).map { String($0.value) }
        #expect(all == ["alpha", "beta", "gamma", ""])
    }

    @Test("ignore_value, prev_kv on put and delete, and value compares use the stored value")
    func writesSeeStoredValues() async throws {
        let f = try await reopened()
        var keep = PutRequest(key: Data("a"), value: Data())
        keep.ignoreValue = true
        keep.prevKV = true
        let kept = try await f.store.put(keep)
        #expect(kept.prevKV.map { String($0.value) } == "alpha")
        #expect(try f.store.value("a") == "alpha")

        let deleted = try await f.store.deleteRange(DeleteRangeRequest(key: Data("b"), prevKV: true))
        #expect(deleted.prevKVs.map { String($0.value) } == ["beta"])

        let txn = try await f.store.txn(TxnRequest(
            compare: [Compare(key: Data("c"), result: .equal, target: .value(Data("gamma")))],
            success: [.put(PutRequest(key: Data("c"), value: Data("changed")))]))
        #expect(txn.succeeded)
        #expect(try f.store.value("c") == "changed")
    }

    @Test("a read-only transaction compares against the stored value")
    func readOnlyCompare() async throws {
        let f = try await reopened()
        let txn = try await f.store.txn(TxnRequest(
            compare: [Compare(key: Data("b"), result: .equal, target: .value(Data("beta")))],
            success: [.range(RangeRequest(key: Data("b")))]))
        #expect(txn.succeeded)
    }

    @Test("a watch from before the restart replays the values")
    func watchReplays() async throws {
        let f = try await reopened()
        let batch = try f.store.watchEvents(key: Data("a"), end: .fromKey, from: 1)
        let values = batch.events.filter { $0.kind == .put }.map { String($0.kv.value) }
        #expect(values == ["alpha", "beta", "gamma", "", "x"])
    }
}
