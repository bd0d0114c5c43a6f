import CSQLite
import Foundation

/// Maintenance for the SQLite engine. Everything here uses connections of its own, so the
/// writer's connection stays the writer's alone; SQLite's WAL locking orders them.
extension SQLiteStorage: StorageMaintenance {
    public func makeQuotaSizeProbe() throws -> any QuotaSizeProbe {
        do {
            return SQLiteQuotaSizeProbe(connection: try SQLiteConnection(path: databasePath, readOnly: true))
        } catch let error as SQLiteError {
            throw StoreError.storageFailure("cannot open reader on \(databasePath): \(error)")
        }
    }

    // MARK: Alarms

    /// Alarms live in their own table (one row per raised alarm), created on first use so stores
    /// written before alarms existed gain it.
    private static let alarmTable = """
        CREATE TABLE IF NOT EXISTS alarm (
            member INTEGER NOT NULL, type INTEGER NOT NULL, PRIMARY KEY (member, type)
        ) WITHOUT ROWID
        """

    public func loadAlarms() throws -> [AlarmMember] {
        try withConnection("load alarms", readOnly: false) { db in
            try db.execute(Self.alarmTable)
            let rows = try db.statement("SELECT member, type FROM alarm")
            defer { rows.reset() }
            var alarms: [AlarmMember] = []
            while try rows.step() {
                // Types this build does not know (written by a newer one) stay on disk, unenforced.
                if let type = AlarmType(rawValue: Int32(truncatingIfNeeded: rows.int64(1))) {
                    alarms.append(AlarmMember(memberID: UInt64(bitPattern: rows.int64(0)), type: type))
                }
            }
            return alarms
        }
    }

    public func setAlarm(_ alarm: AlarmMember, active: Bool) throws {
        try withConnection("record alarm", readOnly: false) { db in
            try db.execute(Self.alarmTable)
            let stmt = try db.statement(active
                ? "INSERT OR IGNORE INTO alarm (member, type) VALUES (?, ?)"
                : "DELETE FROM alarm WHERE member = ? AND type = ?")
            defer { stmt.reset() }
            stmt.bind(1, Int64(bitPattern: alarm.memberID))
            stmt.bind(2, Int64(alarm.type.rawValue))
            try stmt.step()
        }
    }

    // MARK: History

    public func forEachChange(through revision: Int64, _ body: (StoredChange) throws -> Void) throws {
        try withConnection("scan history", readOnly: true) { db in
            // One statement is one read transaction: the scan sees a single committed state.
            let rows = try db.statement(
                "SELECT rev, sub, key, value, create_rev, version, lease, tombstone FROM kv WHERE rev <= ? ORDER BY rev, sub")
            defer { rows.reset() }
            rows.bind(1, revision)
            while try rows.step() {
                try body(StoredChange(
                    revision: Revision(main: rows.int64(0), sub: rows.int64(1)),
                    key: rows.data(2), value: rows.data(3),
                    createRevision: rows.int64(4), version: rows.int64(5), lease: rows.int64(6),
                    isTombstone: rows.int64(7) != 0))
            }
        }
    }

    public func persistedCounter(_ name: String) throws -> Int64? {
        try withConnection("read metadata", readOnly: true) { db in
            let stmt = try db.statement("SELECT value FROM meta WHERE name = ?")
            defer { stmt.reset() }
            stmt.bind(1, name)
            return try stmt.step() ? stmt.int64(0) : nil
        }
    }

    // MARK: Defragmentation

    public func defragment() throws {
        try withConnection("defragment", readOnly: false) { db in
            try db.execute("VACUUM")
            // VACUUM leaves the rebuilt pages in the WAL; a truncating checkpoint moves them into
            // the file, which then shrinks, and empties the WAL. Readers still on older pages make
            // it partial; a later checkpoint finishes the job, so a busy result is no failure.
            sqlite3_busy_timeout(db.handle, 1000)
            try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    // MARK: Copies

    public var scratchDirectory: String { (databasePath as NSString).deletingLastPathComponent }

    public func copyDatabase(to path: String) throws -> Int64 {
        try withConnection("copy database", readOnly: true) { source in
            let destination = try SQLiteConnection(path: path)
            defer { destination.close() }
            guard let backup = sqlite3_backup_init(destination.handle, "main", source.handle, "main") else {
                throw destination.lastError
            }
            // One step copies every page inside one read transaction of the source: a single
            // committed state, while the writer goes on committing to the WAL.
            let rc = sqlite3_backup_step(backup, -1)
            sqlite3_backup_finish(backup)
            guard rc == SQLITE_DONE else {
                throw SQLiteError(code: rc, message: String(cString: sqlite3_errstr(rc)))
            }
            // The newest row carries the current revision; the counter in meta covers compactions
            // that removed it (see GroupCommitWriter.commitCompaction).
            return try destination.scalar("""
                SELECT max(
                    coalesce((SELECT value FROM meta WHERE name = '\(MetadataKey.currentRevision)'), 1),
                    coalesce((SELECT max(rev) FROM kv), 1))
                """) ?? 1
        }
    }

    // MARK: Helpers

    /// Runs `body` on a connection of its own, open until `body` returns (statements point back
    /// at their connection without owning it), and reports SQLite errors as storage failures.
    private func withConnection<T>(_ what: String, readOnly: Bool, _ body: (SQLiteConnection) throws -> T) throws -> T {
        do {
            let db = try SQLiteConnection(path: databasePath, readOnly: readOnly)
            return try withExtendedLifetime(db) {
                // Durability is per connection: commits here are as durable as the writer's.
                if !readOnly { try db.execute("PRAGMA synchronous=FULL") }
                return try body(db)
            }
        } catch let error as SQLiteError {
            throw StoreError.storageFailure("\(what) on \(databasePath) failed: \(error)")
        }
    }
}

/// Measures the database (pages × page size, as of the newest commit) through one reader of its own.
final class SQLiteQuotaSizeProbe: QuotaSizeProbe, @unchecked Sendable {
    private let lock = NSLock()
    private let connection: SQLiteConnection

    init(connection: SQLiteConnection) {
        self.connection = connection
    }

    func size() throws -> Int64 {
        try lock.withLock {
            do {
                let pageSize = try connection.scalar("PRAGMA page_size") ?? 4096
                let pages = try connection.scalar("PRAGMA page_count") ?? 0
                return pageSize * pages
            } catch let error as SQLiteError {
                throw StoreError.storageFailure("reading the size of \(connection.path) failed: \(error)")
            }
        }
    }
}
