import Foundation
import Testing
@testable import KetchStore

@Suite("SQLite storage format")
struct StorageFormatTests {
    private func temporaryDirectory() -> String {
        NSTemporaryDirectory() + "ketch-format-\(UUID().uuidString)"
    }

    /// A data dir as format 1 wrote it: revisions in a `WITHOUT ROWID` table keyed by (rev, sub).
    private func writeFormat1Store(at directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory + "/member", withIntermediateDirectories: true)
        let db = try SQLiteConnection(path: directory + "/member/ketch.db")
        defer { db.close() }
        try db.execute("""
            PRAGMA journal_mode=WAL;
            CREATE TABLE kv (
                rev INTEGER NOT NULL, sub INTEGER NOT NULL,
                key BLOB NOT NULL, value BLOB NOT NULL,
                create_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL,
                tombstone INTEGER NOT NULL,
                PRIMARY KEY (rev, sub)
            ) WITHOUT ROWID;
            CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
            PRAGMA application_id=\(SQLiteStorage.applicationID);
            PRAGMA user_version=1;
            INSERT INTO meta VALUES ('\(MetadataKey.currentRevision)', 4);
            """)
        // Inserted out of order on purpose: format 1 read them back by (rev, sub).
        let rows: [(Int64, Int64, String, String, Int64, Int64, Int64)] = [
            (4, 0, "a", "", 2, 0, 1),          // a deleted at 4
            (2, 0, "a", "one", 2, 1, 0),
            (3, 1, "c", "three", 3, 1, 0),
            (3, 0, "b", String(repeating: "x", count: 3000), 3, 1, 0),
        ]
        let insert = try db.statement("INSERT INTO kv VALUES (?,?,?,?,?,?,?,?)")
        for (rev, sub, key, value, create, version, tombstone) in rows {
            insert.reset()
            insert.bind(1, rev)
            insert.bind(2, sub)
            insert.bind(3, Data(key.utf8))
            insert.bind(4, Data(value.utf8))
            insert.bind(5, create)
            insert.bind(6, version)
            insert.bind(7, 0)
            insert.bind(8, tombstone)
            _ = try insert.step()
        }
        insert.reset()
    }

    @Test("a format 1 data dir is migrated on open and serves the same history")
    func migratesFormat1() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try writeFormat1Store(at: directory)

        let store = try MVCCStore(dataDirectory: directory)
        #expect(store.currentRevision == 4)
        #expect(try store.get("a").isEmpty)
        #expect(try store.value("b") == String(repeating: "x", count: 3000))
        #expect(try store.value("c") == "three")
        #expect(try store.get("a", revision: 3).first.map { String($0.value) } == "one")
        let put = try await store.put("d", "after")
        #expect(put.revision == 5)
        store.close()

        let db = try SQLiteConnection(path: directory + "/member/ketch.db")
        #expect(try db.scalar("PRAGMA user_version") == SQLiteStorage.formatVersion)
        #expect(try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'kv_format1'") == 0)
        // Rowid order is revision order, which `load` relies on.
        let order = try db.statement("SELECT rev, sub FROM kv ORDER BY id")
        var revisions: [[Int64]] = []
        while try order.step() { revisions.append([order.int64(0), order.int64(1)]) }
        order.reset()
        #expect(revisions == [[2, 0], [3, 0], [3, 1], [4, 0], [5, 0]])
        db.close()

        let reopened = try MVCCStore(dataDirectory: directory)
        defer { reopened.close() }
        #expect(reopened.currentRevision == 5)
        #expect(try reopened.value("d") == "after")
    }

    @Test("1 KiB values take about their own size on disk, not a 4 KiB overflow page each")
    func compactRows() async throws {
        let f = try StoreFixture()
        let value = String(repeating: "v", count: 1024)
        for i in 0..<2000 { try await f.store.put(String(format: "key/%05d", i), value) }
        let db = try SQLiteConnection(path: f.directory + "/member/ketch.db", readOnly: true)
        defer { db.close() }
        // The whole database: rows, the revision index and the other tables.
        let pages = try #require(try db.scalar("PRAGMA page_count"))
        let pageSize = try #require(try db.scalar("PRAGMA page_size"))
        let bytesPerRow = Double(pages * pageSize) / 2000
        #expect(bytesPerRow < 1800, "the store takes \(bytesPerRow) bytes per 1 KiB row")
    }
}
