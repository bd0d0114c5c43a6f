import CSQLite
import Foundation
import Synchronization

/// The default storage engine: one SQLite database in WAL mode with `synchronous=FULL`,
/// so a commit returns only after the WAL is fsynced.
///
/// Layout under the data directory, etcd-like: `member/ketch.db` (+ `-wal`, `-shm`).
public final class SQLiteStorage: StorageEngine, @unchecked Sendable {
    /// The on-disk format this build writes and reads; a newer one is refused, never guessed at.
    ///
    /// Format 2 keeps revisions in a rowid table: format 1's `WITHOUT ROWID` table stored any row
    /// over about 1,000 bytes (a 1 KiB value, most Kubernetes objects) as ~500 bytes in the b-tree
    /// plus a whole 4 KiB overflow page, so 1 KiB values took 4.6 KiB each on disk.
    public static let formatVersion: Int64 = 2
    /// One row per revision (`rev`, `sub`), in commit order: the single writer appends revisions
    /// in order, so rowid order is revision order and a full load is a plain table scan.
    static let kvSchema = """
        CREATE TABLE kv (
            id INTEGER PRIMARY KEY,
            rev INTEGER NOT NULL, sub INTEGER NOT NULL,
            key BLOB NOT NULL, value BLOB NOT NULL,
            create_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL,
            tombstone INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX kv_revision ON kv (rev, sub);
        """
    /// `PRAGMA application_id`: marks the file as a Ketch store ("KTCH").
    static let applicationID: Int64 = 0x4B54_4348

    public let databasePath: String
    /// The writer's connection; used only from the serial writer (and `load` before it starts).
    private let writer: SQLiteConnection
    private let readers = Mutex<[SQLiteConnection]>([])
    /// Held for the store's lifetime: two processes applying writes to one data dir would each
    /// assign the same revisions, so a second opener is refused (etcd locks its WAL the same way).
    private let lock: DataDirectoryLock

    /// Opens (creating if needed) the store under `dataDirectory`.
    public init(dataDirectory: String) throws {
        let member = (dataDirectory as NSString).appendingPathComponent("member")
        let fm = FileManager.default
        if fm.fileExists(atPath: (member as NSString).appendingPathComponent("snap/db")),
           !fm.fileExists(atPath: (member as NSString).appendingPathComponent("ketch.db")) {
            throw StoreError.unusableDataDirectory(
                "data dir \(dataDirectory) holds an etcd (bbolt) member: Ketch cannot read it; "
                    + "take an etcd snapshot and restore it, or use another --data-dir")
        }
        do {
            try fm.createDirectory(atPath: member, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.unusableDataDirectory("cannot create data dir \(member): \(error.localizedDescription)")
        }
        databasePath = (member as NSString).appendingPathComponent("ketch.db")
        lock = try DataDirectoryLock(path: (member as NSString).appendingPathComponent("ketch.lock"), dataDirectory: dataDirectory)
        do {
            writer = try SQLiteConnection(path: databasePath)
            try Self.prepare(writer, path: databasePath)
        } catch let error as SQLiteError {
            throw Self.describe(error, path: databasePath)
        }
    }

    private static func describe(_ error: SQLiteError, path: String) -> StoreError {
        if error.isCorruption {
            return .unusableDataDirectory(
                "\(path) is not a Ketch database or is corrupt (\(error.message)); refusing to start. "
                    + "Restore it from a snapshot or move it aside.")
        }
        return .unusableDataDirectory("cannot open \(path): \(error)")
    }

    private static func prepare(_ db: SQLiteConnection, path: String) throws {
        let appID = try db.scalar("PRAGMA application_id") ?? 0
        let version = try db.scalar("PRAGMA user_version") ?? 0
        let tables = try db.scalar("SELECT count(*) FROM sqlite_master") ?? 0
        if tables > 0 && appID != applicationID {
            throw StoreError.unusableDataDirectory("\(path) is an SQLite database, but not a Ketch store; refusing to touch it")
        }
        if version > formatVersion {
            throw StoreError.unusableDataDirectory(
                "\(path) has format version \(version), newer than this ketch supports (\(formatVersion)); use a newer ketch")
        }
        try db.execute("PRAGMA journal_mode=WAL")
        try db.execute("PRAGMA synchronous=FULL")
        if tables == 0 {
            try db.execute("""
                BEGIN;
                \(kvSchema)
                CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                PRAGMA application_id=\(applicationID);
                PRAGMA user_version=\(formatVersion);
                COMMIT;
                """)
        } else if version < formatVersion {
            try migrateFromFormat1(db)
        }
        // Tables added after format 1 first shipped; created on open so older stores gain them.
        try db.execute("CREATE TABLE IF NOT EXISTS lease (id INTEGER PRIMARY KEY, ttl INTEGER NOT NULL)")
    }

    /// Rewrites a format 1 store (and a format 1 snapshot being restored) in format 2, in one
    /// transaction: a crash part-way leaves format 1 intact, to be migrated on the next open.
    private static func migrateFromFormat1(_ db: SQLiteConnection) throws {
        do {
            try migrationStatements(db)
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
        // The copy went through the WAL: move it into the file and empty the WAL. The old table's
        // pages stay in the file as free pages, reused by new writes or returned by a defrag.
        try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    private static func migrationStatements(_ db: SQLiteConnection) throws {
        try db.execute("""
            BEGIN IMMEDIATE;
            ALTER TABLE kv RENAME TO kv_format1;
            \(kvSchema)
            INSERT INTO kv (rev, sub, key, value, create_rev, version, lease, tombstone)
                SELECT rev, sub, key, value, create_rev, version, lease, tombstone FROM kv_format1 ORDER BY rev, sub;
            DROP TABLE kv_format1;
            PRAGMA user_version=\(formatVersion);
            COMMIT;
            """)
    }

    public func load() throws -> StoredState {
        do {
            var metadata: [String: Int64] = [:]
            let meta = try writer.statement("SELECT name, value FROM meta")
            while try meta.step() {
                metadata[meta.string(0)] = meta.int64(1)
            }
            var changes: [StoredChange] = []
            // Values stay on disk (`valuesDeferred`): reading them all made a restart on a
            // loaded store take seconds and hold every value in memory before the first request.
            let rows = try writer.statement(
                "SELECT rev, sub, key, create_rev, version, lease, tombstone FROM kv ORDER BY id")
            while try rows.step() {
                changes.append(StoredChange(
                    revision: Revision(main: rows.int64(0), sub: rows.int64(1)),
                    key: rows.data(2), value: Data(),
                    createRevision: rows.int64(3), version: rows.int64(4), lease: rows.int64(5),
                    isTombstone: rows.int64(6) != 0))
            }
            rows.reset()
            var leases: [Int64: Int64] = [:]
            let leaseRows = try writer.statement("SELECT id, ttl FROM lease")
            while try leaseRows.step() {
                leases[leaseRows.int64(0)] = leaseRows.int64(1)
            }
            return StoredState(metadata: metadata, changes: changes, leases: leases, valuesDeferred: true)
        } catch let error as SQLiteError {
            throw Self.describe(error, path: databasePath)
        }
    }

    public func commit(_ batch: CommitBatch) throws {
        guard !batch.isEmpty else { return }
        do {
            try writer.execute("BEGIN IMMEDIATE")
            do {
                try writer.executeEach(
                    "INSERT INTO kv (rev, sub, key, value, create_rev, version, lease, tombstone) VALUES (?,?,?,?,?,?,?,?)",
                    for: batch.changes
                ) { insert, change in
                    insert.bind(1, change.revision.main)
                    insert.bind(2, change.revision.sub)
                    insert.bind(3, change.key)
                    insert.bind(4, change.value)
                    insert.bind(5, change.createRevision)
                    insert.bind(6, change.version)
                    insert.bind(7, change.lease)
                    insert.bind(8, change.isTombstone ? 1 : 0)
                }
                try writer.executeEach("DELETE FROM kv WHERE rev = ? AND sub = ?", for: batch.compacted) { delete, revision in
                    delete.bind(1, revision.main)
                    delete.bind(2, revision.sub)
                }
                try writer.executeEach(
                    "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                    for: batch.metadata
                ) { upsert, entry in
                    upsert.bind(1, entry.key)
                    upsert.bind(2, entry.value)
                }
                try writer.executeEach("INSERT OR REPLACE INTO lease (id, ttl) VALUES (?, ?)", for: batch.grantedLeases) { grant, lease in
                    grant.bind(1, lease.key)
                    grant.bind(2, lease.value)
                }
                try writer.executeEach("DELETE FROM lease WHERE id = ?", for: batch.revokedLeases) { revoke, id in
                    revoke.bind(1, id)
                }
                try writer.execute("COMMIT")
            } catch {
                try? writer.execute("ROLLBACK")
                throw error
            }
        } catch let error as SQLiteError {
            throw StoreError.storageFailure("commit to \(databasePath) failed: \(error)")
        }
    }

    public func values(at revisions: [Revision]) throws -> [Revision: Data] {
        let connection = try takeReader()
        defer { returnReader(connection) }
        do {
            var result: [Revision: Data] = [:]
            let select = try connection.statement("SELECT value FROM kv WHERE rev = ? AND sub = ?")
            for revision in revisions {
                select.reset()
                select.bind(1, revision.main)
                select.bind(2, revision.sub)
                if try select.step() {
                    result[revision] = select.data(0)
                }
            }
            select.reset()
            return result
        } catch let error as SQLiteError {
            throw StoreError.storageFailure("read from \(databasePath) failed: \(error)")
        }
    }

    public func size() throws -> (total: Int64, inUse: Int64) {
        let connection = try takeReader()
        defer { returnReader(connection) }
        let pageSize = try connection.scalar("PRAGMA page_size") ?? 4096
        let pages = try connection.scalar("PRAGMA page_count") ?? 0
        let free = try connection.scalar("PRAGMA freelist_count") ?? 0
        let walAttributes = try? FileManager.default.attributesOfItem(atPath: databasePath + "-wal")
        let wal = (walAttributes?[.size] as? NSNumber)?.int64Value ?? 0
        return (pageSize * pages + wal, pageSize * (pages - free))
    }

    private func takeReader() throws -> SQLiteConnection {
        if let connection = readers.withLock({ $0.popLast() }) {
            return connection
        }
        do {
            return try SQLiteConnection(path: databasePath, readOnly: true)
        } catch let error as SQLiteError {
            throw StoreError.storageFailure("cannot open reader on \(databasePath): \(error)")
        }
    }

    private func returnReader(_ connection: SQLiteConnection) {
        readers.withLock { pool in
            if pool.count < 8 { pool.append(connection) }
        }
    }

    public func close() {
        readers.withLock { $0.removeAll() }
        writer.close()
        lock.release()
    }
}
