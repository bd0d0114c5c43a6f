import Foundation
import Testing
@testable import KetchStore

@Suite("Snapshot files: status and restore")
struct SnapshotRestoreTests {
    private let scratch = NSTemporaryDirectory() + "ketch-snaprestore-\(UUID().uuidString)"

    init() throws {
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    private func path(_ name: String) -> String { (scratch as NSString).appendingPathComponent(name) }

    /// A snapshot file as the Snapshot RPC streams it: the database copy, then its SHA-256.
    private func makeSnapshot(_ f: StoreFixture) async throws -> (Data, StoreSnapshot) {
        let snapshot = try await f.store.snapshot()
        var bytes = Data()
        while true {
            let chunk = try snapshot.read(upTo: 32 * 1024)
            if chunk.isEmpty { break }
            bytes.append(chunk)
        }
        bytes.append(contentsOf: SnapshotFile.digest(bytes))
        return (bytes, snapshot)
    }

    private func populated() async throws -> StoreFixture {
        let f = try StoreFixture()
        for i in 0..<20 { try await f.store.put("k/\(i % 5)", "v\(i)") }
        _ = try await f.store.compact(revision: 10)
        try await f.store.put("last", "x")
        return f
    }

    @Test("a snapshot restores to the same keys, revision and compaction floor, with a new identity")
    func restoreRoundTrip() async throws {
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let f = try await populated()
        let (bytes, snapshot) = try await makeSnapshot(f)
        #expect(SnapshotFile.hasChecksum(size: Int64(bytes.count)))
        try bytes.write(to: URL(fileURLWithPath: path("s.db")))

        let status = try SnapshotFile.status(path: path("s.db"))
        #expect(status.revision == snapshot.revision)
        #expect(status.revision == 22)
        #expect(status.compactRevision == 10)
        #expect(status.totalSize == Int64(bytes.count - 32))
        #expect(status.hasChecksum)
        #expect(status.totalKeys > 0)
        var crc = CRC32C()
        crc.update(bytes.prefix(bytes.count - 32))
        #expect(status.hash == crc.value)

        let dir = path("restored")
        let restored = try SnapshotFile.restore(
            path: path("s.db"), to: dir, options: SnapshotRestoreOptions(memberID: 0xABCD, clusterID: 0x1234))
        #expect(restored.revision == 22)
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: dir + "/member/ketch.db"))
        #expect(!fm.fileExists(atPath: dir + "/member/ketch.db-wal"))
        #expect(try fm.contentsOfDirectory(atPath: scratch).sorted() == ["restored", "s.db"])

        let copy = try MVCCStore(dataDirectory: dir)
        defer { copy.close() }
        #expect(copy.currentRevision == 22)
        #expect(copy.compactRevision == 10)
        #expect(copy.term == 2)
        #expect(try copy.value("last") == "x")
        #expect(try copy.value("k/4") == "v19")
        #expect(try copy.get("k/0", revision: 16).first.map { String($0.value) } == "v10")
        #expect(throws: (any Error).self) { try copy.get("k/0", revision: 5) }
        let stored = try (copy.storage as? any StorageMaintenance)?.persistedCounter(MetadataKey.memberID)
        #expect(stored == 0xABCD)
        let next = try await copy.put("after", "restore")
        #expect(next.revision == 23)
    }

    @Test("a flipped byte or a cut file is refused, leaving no data dir")
    func hashCheck() async throws {
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let f = try await populated()
        let (bytes, _) = try await makeSnapshot(f)

        var corrupt = bytes
        corrupt[5000] ^= 0xFF
        try corrupt.write(to: URL(fileURLWithPath: path("corrupt.db")))
        #expect {
            try SnapshotFile.restore(path: path("corrupt.db"), to: path("d1"))
        } throws: { error in
            guard case .hashMismatch = error as? SnapshotFileError else { return false }
            return "\(error)".hasPrefix("expected sha256 [")
        }
        #expect(!FileManager.default.fileExists(atPath: path("d1")))
        #expect(throws: SnapshotFileError.self) { try SnapshotFile.status(path: path("corrupt.db")) }

        try bytes.prefix(bytes.count - 1000).write(to: URL(fileURLWithPath: path("cut.db")))
        #expect(throws: SnapshotFileError.missingHash) { try SnapshotFile.restore(path: path("cut.db"), to: path("d2")) }
        #expect(!FileManager.default.fileExists(atPath: path("d2")))
        // Forced past the hash check, the damaged database is still refused.
        #expect {
            try SnapshotFile.restore(path: path("cut.db"), to: path("d3"), options: .init(skipHashCheck: true))
        } throws: { error in
            "\(error)".hasPrefix("snapshot file integrity check failed.")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).sorted() == ["corrupt.db", "cut.db"])

        // A bare database (no digest) restores with --skip-hash-check.
        try bytes.prefix(bytes.count - 32).write(to: URL(fileURLWithPath: path("bare.db")))
        #expect(throws: SnapshotFileError.missingHash) { try SnapshotFile.restore(path: path("bare.db"), to: path("d4")) }
        let status = try SnapshotFile.restore(path: path("bare.db"), to: path("d4"), options: .init(skipHashCheck: true))
        #expect(status.revision == 22 && !status.hasChecksum)
    }

    @Test("etcd (bbolt) snapshots, other SQLite files and junk are refused")
    func foreignFiles() throws {
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // bbolt's first page: page header, then the meta magic 0xED0CDAED.
        var bbolt = Data(count: 16384)
        bbolt[8] = 0x04
        bbolt.replaceSubrange(16..<20, with: [0xED, 0xDA, 0x0C, 0xED])
        bbolt.append(contentsOf: SnapshotFile.digest(bbolt))
        try bbolt.write(to: URL(fileURLWithPath: path("etcd.db")))
        #expect(throws: SnapshotFileError.etcdSnapshot(path: path("etcd.db"))) {
            try SnapshotFile.restore(path: path("etcd.db"), to: path("d1"))
        }
        #expect(throws: SnapshotFileError.etcdSnapshot(path: path("etcd.db"))) { try SnapshotFile.status(path: path("etcd.db")) }

        let other = try SQLiteConnection(path: path("other.db"))
        try other.execute("CREATE TABLE t (x); INSERT INTO t VALUES (1)")
        other.close()
        #expect {
            try SnapshotFile.restore(path: path("other.db"), to: path("d2"), options: .init(skipHashCheck: true))
        } throws: { error in
            guard case .notKetch = error as? SnapshotFileError else { return false }
            return true
        }

        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: path("junk.db")))
        #expect {
            try SnapshotFile.status(path: path("junk.db"))
        } throws: { error in
            guard case .notKetch = error as? SnapshotFileError else { return false }
            return true
        }
        #expect(throws: SnapshotFileError.cannotRead("stat \(path("none.db")): no such file or directory")) {
            try SnapshotFile.status(path: path("none.db"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).sorted() == ["etcd.db", "junk.db", "other.db"])
    }

    @Test("restore never writes into a data dir that holds anything; an empty one is fine")
    func existingDirectory() async throws {
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let f = try await populated()
        let (bytes, _) = try await makeSnapshot(f)
        try bytes.write(to: URL(fileURLWithPath: path("s.db")))

        let busy = path("busy")
        try FileManager.default.createDirectory(atPath: busy + "/member", withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: busy + "/member/ketch.db"))
        #expect(throws: SnapshotFileError.dataDirectoryNotEmpty(busy)) { try SnapshotFile.restore(path: path("s.db"), to: busy) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: busy + "/member/ketch.db")) == Data("keep".utf8))

        try Data().write(to: URL(fileURLWithPath: path("afile")))
        #expect(throws: SnapshotFileError.dataDirectoryNotEmpty(path("afile"))) {
            try SnapshotFile.restore(path: path("s.db"), to: path("afile"))
        }

        let empty = path("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        try SnapshotFile.restore(path: path("s.db"), to: empty)
        let copy = try MVCCStore(dataDirectory: empty)
        defer { copy.close() }
        #expect(copy.currentRevision == 22)

        // Nested paths are created.
        try SnapshotFile.restore(path: path("s.db"), to: path("a/b/c"))
        #expect(FileManager.default.fileExists(atPath: path("a/b/c/member/ketch.db")))
    }
}
