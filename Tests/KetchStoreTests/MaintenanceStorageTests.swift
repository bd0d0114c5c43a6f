import CSQLite
import Foundation
import Testing
@testable import KetchStore

@Suite("Maintenance: snapshots and defragmentation")
struct MaintenanceStorageTests {
    private func readAll(_ snapshot: StoreSnapshot) throws -> Data {
        var data = Data()
        while true {
            let chunk = try snapshot.read(upTo: 32 * 1024)
            if chunk.isEmpty { return data }
            data.append(chunk)
        }
    }

    @Test("a snapshot restores to the same keys and revision, whatever was written meanwhile")
    func snapshotConsistency() async throws {
        let f = try StoreFixture()
        for i in 0..<200 { try await f.store.put("k/\(i % 50)", String(repeating: "v", count: i)) }
        _ = try await f.store.compact(revision: 100)
        // Writers keep going while the copy is taken.
        let store = f.store
        let writes = Task {
            for i in 0..<100 { try await store.put("during/\(i)", "x") }
        }
        let snapshot = try await f.store.snapshot()
        try await writes.value
        let bytes = try readAll(snapshot)
        #expect(Int64(bytes.count) == snapshot.size)
        // Whole pages, so etcdctl's `size % 512 == 32` check finds the appended checksum.
        #expect(bytes.count % 512 == 0)

        let restored = NSTemporaryDirectory() + "ketch-restore-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: restored) }
        try FileManager.default.createDirectory(atPath: restored + "/member", withIntermediateDirectories: true)
        try bytes.write(to: URL(fileURLWithPath: restored + "/member/ketch.db"))
        let copy = try MVCCStore(dataDirectory: restored)
        defer { copy.close() }
        #expect(copy.currentRevision == snapshot.revision)
        #expect(copy.compactRevision == 100)
        let prefix = RangeEnd.before(prefixRangeEnd(Data("k/")))
        #expect(try copy.get("k/", end: prefix) == f.store.get("k/", end: prefix, revision: snapshot.revision))
        let during = RangeEnd.before(prefixRangeEnd(Data("during/")))
        #expect(try copy.get("during/", end: during) == f.store.get("during/", end: during, revision: snapshot.revision))
        #expect(try await copy.hashKV(revision: 0).hash == f.store.hashKV(revision: snapshot.revision).hash)
    }

    @Test("the snapshot's scratch copy is gone once opened")
    func noLeftovers() async throws {
        let f = try StoreFixture()
        try await f.store.put("k", "v")
        let snapshot = try await f.store.snapshot()
        let member = f.directory + "/member"
        let files = try FileManager.default.contentsOfDirectory(atPath: member)
        #expect(!files.contains { $0.hasPrefix("ketch-snapshot-") })
        #expect(snapshot.size > 0)
    }

    @Test("defragmentation after compaction shrinks the database and keeps the data")
    func defragment() async throws {
        let f = try StoreFixture()
        let value = String(repeating: "d", count: 4000)
        for i in 0..<300 { try await f.store.put("k/\(i)", value) }
        _ = try await f.store.deleteRange(DeleteRangeRequest(key: Data("k/"), rangeEnd: .before(prefixRangeEnd(Data("k/")))))
        try await f.store.put("kept", "yes")
        _ = try await f.store.compact(revision: f.store.currentRevision)
        let before = try f.store.storageSize()
        let hash = try await f.store.hashKV(revision: 0)
        try await f.store.defragment()
        let after = try f.store.storageSize()
        #expect(after.total < before.total / 4)
        #expect(after.inUse <= after.total)
        #expect(try f.store.value("kept") == "yes")
        #expect(try await f.store.hashKV(revision: 0) == hash)
        // Writes go on, concurrently with another defragmentation too.
        let store = f.store
        let more = Task { for i in 0..<50 { try await store.put("after/\(i)", "v") } }
        try await store.defragment()
        try await more.value
        #expect(try f.store.get("after/", end: .before(prefixRangeEnd(Data("after/")))).count == 50)
        try f.reopen()
        #expect(try f.store.value("kept") == "yes")
    }
}
