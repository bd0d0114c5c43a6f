import Foundation
import Testing
@testable import KetchStore

@Suite("Maintenance: quota and alarms")
struct MaintenanceQuotaTests {
    static let member: UInt64 = 0xabc
    static let noSpace = AlarmMember(memberID: member, type: .noSpace)
    static let corrupt = AlarmMember(memberID: member, type: .corrupt)

    /// A store whose quota leaves `headroom` bytes above its current size.
    private func fixture(headroom: Int64) throws -> StoreFixture {
        let f = try StoreFixture()
        let size = f.store.admission.quota.measuredSize(version: .init(committedRevision: -1, compactRevision: -1))
        f.store.configureQuota(memberID: Self.member, quotaBackendBytes: size + headroom)
        return f
    }

    private func fill(_ store: MVCCStore, prefix: String = "big/", valueBytes: Int = 20_000, limit: Int = 100) async throws -> Int {
        let value = String(repeating: "x", count: valueBytes)
        for i in 0..<limit {
            do {
                try await store.put("\(prefix)\(i)", value)
            } catch AlarmError.noSpace {
                return i
            }
        }
        Issue.record("the quota never refused a write")
        return limit
    }

    private func readOnlyTxn() -> TxnRequest {
        TxnRequest(success: [.range(RangeRequest(key: Data("big/0")))])
    }

    @Test("past the quota writes fail with NOSPACE until compaction, defragmentation and disarm")
    func noSpaceSequence() async throws {
        let f = try fixture(headroom: 150_000)
        let accepted = try await fill(f.store)
        #expect(accepted > 2)
        #expect(f.store.alarms() == [Self.noSpace])

        // Everything that may add data is refused.
        await #expect(throws: AlarmError.noSpace) { try await f.store.put("small", "v") }
        #expect(throws: AlarmError.noSpace) { try f.store.admitLeaseGrant() }
        _ = try await f.store.txn(readOnlyTxn())
        // With the file itself past the quota even read-only txns are refused (etcd 3.5 charges them 0
        // but still compares the size).
        let quota = try #require(f.store.quotaBackendBytes)
        f.store.configureQuota(memberID: Self.member, quotaBackendBytes: 4096)
        await #expect(throws: AlarmError.noSpace) { try await f.store.txn(self.readOnlyTxn()) }
        f.store.configureQuota(memberID: Self.member, quotaBackendBytes: quota)
        // Reads, deletes and compaction still work.
        #expect(try f.store.get("big/0").count == 1)
        let deleted = try await f.store.deleteRange(DeleteRangeRequest(key: Data("big/"), rangeEnd: .before(prefixRangeEnd(Data("big/")))))
        #expect(deleted.deleted == Int64(accepted))
        _ = try await f.store.compact(revision: f.store.currentRevision)
        try await f.store.defragment()

        // Space is back, but the alarm still caps writes until it is disarmed.
        await #expect(throws: AlarmError.noSpace) { try await f.store.put("small", "v") }
        _ = try await f.store.txn(readOnlyTxn())
        _ = try await f.store.txn(TxnRequest(success: [.deleteRange(DeleteRangeRequest(key: Data("nothing")))]))
        #expect(try f.store.deactivateAlarm(Self.noSpace) == Self.noSpace)
        #expect(try f.store.deactivateAlarm(Self.noSpace) == nil)
        #expect(f.store.alarms().isEmpty)
        try await f.store.put("small", "v")
        try f.store.admitLeaseGrant()
    }

    @Test("a txn is charged for its larger branch of top-level puts, as etcd's costTxn")
    func txnCost() {
        let put = PutRequest(key: Data("k"), value: Data(count: 100))
        let txn = TxnRequest(success: [.put(put), .put(put)], failure: [.put(put), .deleteRange(DeleteRangeRequest(key: Data("k")))])
        #expect(BackendQuota.cost(of: .txn(txn)) == 2 * (256 + 1 + 100))
        let nested = TxnRequest(success: [.txn(TxnRequest(success: [.put(put)]))])
        #expect(BackendQuota.cost(of: .txn(nested)) == 0)
        #expect(BackendQuota.cost(of: .leaseGrant) == 64)
    }

    @Test("a negative quota disables it; zero means etcd's 2 GiB")
    func quotaSettings() throws {
        let f = try StoreFixture()
        f.store.configureQuota(memberID: 1, quotaBackendBytes: 0)
        #expect(f.store.quotaBackendBytes == Int64(2) << 30)
        f.store.configureQuota(memberID: 1, quotaBackendBytes: -1)
        #expect(f.store.quotaBackendBytes == nil)
    }

    @Test("alarms survive a restart and keep restricting writes")
    func alarmsPersist() async throws {
        let f = try StoreFixture()
        #expect(try f.store.activateAlarm(Self.noSpace) == Self.noSpace)
        #expect(try f.store.activateAlarm(Self.noSpace) == Self.noSpace)  // already raised: answered again
        #expect(try f.store.activateAlarm(AlarmMember(memberID: 5, type: .none)) == nil)
        try f.reopen()
        #expect(f.store.alarms() == [Self.noSpace])
        await #expect(throws: AlarmError.noSpace) { try await f.store.put("k", "v") }
        _ = try f.store.deactivateAlarm(Self.noSpace)
        try f.reopen()
        #expect(f.store.alarms().isEmpty)
        try await f.store.put("k", "v")
    }

    @Test("CORRUPT refuses every write but not reads; clearing it restores writes")
    func corrupt() async throws {
        let f = try StoreFixture()
        try await f.store.put("k", "v")
        _ = try f.store.activateAlarm(Self.corrupt)
        await #expect(throws: AlarmError.corrupt) { try await f.store.put("k", "v2") }
        await #expect(throws: AlarmError.corrupt) { try await f.store.deleteRange(DeleteRangeRequest(key: Data("k"))) }
        await #expect(throws: AlarmError.corrupt) { try await f.store.compact(revision: 2) }
        #expect(throws: AlarmError.corrupt) { try f.store.admitLeaseRevoke() }
        #expect(try f.store.value("k") == "v")
        _ = try await f.store.txn(TxnRequest(success: [.range(RangeRequest(key: Data("k")))]))
        // As etcd: a NOSPACE raised now replaces CORRUPT's applier, so deletes pass again.
        _ = try f.store.activateAlarm(Self.noSpace)
        _ = try await f.store.deleteRange(DeleteRangeRequest(key: Data("k")))
        // And a restart with both raised restricts as CORRUPT.
        try f.reopen()
        await #expect(throws: AlarmError.corrupt) { try await f.store.deleteRange(DeleteRangeRequest(key: Data("k"))) }
        #expect(f.store.alarms() == [Self.noSpace, Self.corrupt])
        _ = try f.store.deactivateAlarm(Self.corrupt)
        _ = try f.store.deactivateAlarm(Self.noSpace)
        try await f.store.put("k", "v3")
    }

    @Test("alarms print as etcd's Status errors do")
    func alarmText() {
        #expect(Self.noSpace.description == "memberID:2748 alarm:NOSPACE ")
        #expect(AlarmMember(memberID: 0, type: .corrupt).description == "alarm:CORRUPT ")
    }
}
