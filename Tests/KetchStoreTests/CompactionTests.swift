import Foundation
import Testing
@testable import KetchStore

@Suite("Compaction and recovery")
struct CompactionTests {
    @Test("compaction removes history below it and keeps the newest state")
    func compaction() async throws {
        let f = try StoreFixture()
        try await f.store.put("k", "1")  // 2
        try await f.store.put("k", "2")  // 3
        try await f.store.put("gone", "x")  // 4
        _ = try await f.store.deleteRange(DeleteRangeRequest(key: Data("gone")))  // 5
        let r = try await f.store.compact(revision: 4)
        #expect(r.revision == 5)
        #expect(throws: StoreError.compacted) { try f.store.get("k", revision: 3) }
        #expect(try f.store.get("k", revision: 4).first.map { String($0.value) } == "2")
        #expect(try f.store.get("gone", revision: 4).count == 1)
        await #expect(throws: StoreError.compacted) { try await f.store.compact(revision: 4) }
        await #expect(throws: StoreError.futureRevision) { try await f.store.compact(revision: 6) }
        _ = try await f.store.compact(revision: 5)
        #expect(f.store.keyCount == 1)
    }

    @Test("restart rebuilds the index, revisions, history and compaction floor")
    func recovery() async throws {
        let f = try StoreFixture()
        for i in 0..<50 { try await f.store.put("key/\(i % 7)", "value-\(i)") }
        _ = try await f.store.deleteRange(DeleteRangeRequest(key: Data("key/3")))
        _ = try await f.store.compact(revision: 10)
        let before = try f.store.get("key/", end: .before(prefixRangeEnd(Data("key/"))))
        let historical = try f.store.get("key/1", revision: 30)
        let revision = f.store.currentRevision
        try f.reopen()
        #expect(f.store.currentRevision == revision)
        #expect(f.store.compactRevision == 10)
        #expect(try f.store.get("key/", end: .before(prefixRangeEnd(Data("key/")))) == before)
        #expect(try f.store.get("key/1", revision: 30) == historical)
        #expect(try await f.store.put("after", "restart").revision == revision + 1)
    }

    @Test("the revision survives a restart even when compaction removed the newest change")
    func revisionSurvivesCompaction() async throws {
        let f = try StoreFixture()
        try await f.store.put("k", "v")
        _ = try await f.store.deleteRange(DeleteRangeRequest(key: Data("k")))
        _ = try await f.store.compact(revision: 3)
        try f.reopen()
        #expect(f.store.currentRevision == 3)
    }

    @Test("concurrent writers each get a distinct revision, none lost")
    func groupCommit() async throws {
        let f = try StoreFixture()
        let store = f.store
        let revisions = try await withThrowingTaskGroup(of: Int64.self) { group in
            for i in 0..<200 {
                group.addTask { try await store.put("c/\(i)", "\(i)").revision }
            }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(Set(revisions).count == 200)
        #expect(revisions.min() == 2 && revisions.max() == 201)
        try f.reopen()
        #expect(try f.store.get("c/", end: .before(prefixRangeEnd(Data("c/")))).count == 200)
    }

    @Test("a corrupt or foreign data file is refused with a clear error")
    func corrupt() throws {
        let dir = NSTemporaryDirectory() + "ketch-corrupt-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/member", withIntermediateDirectories: true)
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: dir + "/member/ketch.db"))
        #expect {
            _ = try MVCCStore(dataDirectory: dir)
        } throws: { error in
            guard case StoreError.unusableDataDirectory(let why) = error else { return false }
            return why.contains("corrupt")
        }
    }
}

@Suite("Data directory")
struct DataDirectoryTests {
    @Test("a second store on an open data dir is refused; after close it opens")
    func exclusive() throws {
        let f = try StoreFixture()
        #expect {
            _ = try MVCCStore(dataDirectory: f.directory)
        } throws: { error in
            guard case StoreError.unusableDataDirectory(let why) = error else { return false }
            return why.contains("in use")
        }
        try f.reopen()
        #expect(f.store.currentRevision == 1)
    }
}
