import Foundation
import Testing
@testable import KetchStore

@Suite("Txn")
struct TxnTests {
    @Test("compare-and-swap on mod revision, as kube-apiserver updates")
    func casOnModRevision() async throws {
        let f = try StoreFixture()
        let created = try await f.store.put("obj", "v1")
        let update = TxnRequest(
            compare: [Compare(key: Data("obj"), result: .equal, target: .modRevision(created.revision))],
            success: [.put(PutRequest(key: Data("obj"), value: Data("v2")))],
            failure: [.range(RangeRequest(key: Data("obj")))])
        let first = try await f.store.txn(update)
        #expect(first.succeeded && first.revision == 3)
        let second = try await f.store.txn(update)
        #expect(!second.succeeded && second.revision == 3)
        guard case .range(let current) = second.responses.first else { Issue.record("expected range"); return }
        #expect(String(current.kvs[0].value) == "v2")
    }

    @Test("a missing key compares as zero, but never equal by value")
    func missingKey() async throws {
        let f = try StoreFixture()
        let createIfAbsent = TxnRequest(
            compare: [Compare(key: Data("n"), result: .equal, target: .createRevision(0))],
            success: [.put(PutRequest(key: Data("n"), value: Data("1")))])
        #expect(try await f.store.txn(createIfAbsent).succeeded)
        #expect(try await !f.store.txn(createIfAbsent).succeeded)
        let byValue = TxnRequest(compare: [Compare(key: Data("zz"), result: .notEqual, target: .value(Data("x")))])
        #expect(try await !f.store.txn(byValue).succeeded)
    }

    @Test("all changes of a txn share one revision with increasing sub revisions; reads see earlier ops")
    func oneRevision() async throws {
        let f = try StoreFixture()
        let t = TxnRequest(success: [
            .put(PutRequest(key: Data("a"), value: Data("1"))),
            .put(PutRequest(key: Data("b"), value: Data("2"))),
            .range(RangeRequest(key: Data("a"), rangeEnd: .fromKey)),
        ])
        let r = try await f.store.txn(t)
        #expect(r.revision == 2)
        guard case .range(let seen) = r.responses[2] else { Issue.record("expected range"); return }
        #expect(seen.kvs.count == 2 && seen.revision == 2)
        #expect(try f.store.get("a", end: .fromKey).allSatisfy { $0.modRevision == 2 })
    }

    @Test("nested txns decide their compares before any write")
    func nested() async throws {
        let f = try StoreFixture()
        let inner = TxnRequest(
            compare: [Compare(key: Data("x"), result: .equal, target: .version(0))],
            success: [.put(PutRequest(key: Data("y"), value: Data("saw-no-x")))],
            failure: [.put(PutRequest(key: Data("y"), value: Data("saw-x")))])
        let outer = TxnRequest(success: [.put(PutRequest(key: Data("x"), value: Data("1"))), .txn(inner)])
        let r = try await f.store.txn(outer)
        #expect(r.succeeded)
        #expect(try f.store.value("y") == "saw-no-x")
        guard case .txn(let nestedResponse) = r.responses[1] else { Issue.record("expected txn"); return }
        #expect(nestedResponse.revision == 0)
    }

    @Test("etcd's duplicate-key and size rules")
    func rules() async throws {
        let f = try StoreFixture(options: StoreOptions(maxTxnOps: 3))
        let put = { (k: String) in RequestOp.put(PutRequest(key: Data(k), value: Data())) }
        await #expect(throws: StoreError.duplicateKey) { try await f.store.txn(TxnRequest(success: [put("a"), put("a")])) }
        await #expect(throws: StoreError.duplicateKey) {
            try await f.store.txn(TxnRequest(success: [.deleteRange(DeleteRangeRequest(key: Data("a"), rangeEnd: .before(Data("c")))), put("b")]))
        }
        // Then and else of one nested txn may write the same key.
        let branches = TxnRequest(success: [put("k")], failure: [put("k")])
        _ = try await f.store.txn(TxnRequest(success: [.txn(branches)]))
        await #expect(throws: StoreError.duplicateKey) { try await f.store.txn(TxnRequest(success: [.txn(branches), put("k")])) }
        await #expect(throws: StoreError.tooManyOperations) { try await f.store.txn(TxnRequest(success: [put("1"), put("2"), put("3"), put("4")])) }
        await #expect(throws: StoreError.emptyKey) { try await f.store.txn(TxnRequest(compare: [Compare(key: Data(), result: .equal, target: .version(0))])) }
        #expect(f.store.currentRevision == 2)
    }
}
