import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What `snapshot status` reports about a snapshot file, as etcdutl's `snapshot.Status` does for
/// etcd's (see docs/snapshot-format.md, "Status").
public struct SnapshotFileStatus: Sendable, Equatable {
    /// CRC-32C (Castagnoli, etcd's table) of the database bytes, the appended digest left out.
    public var hash: UInt32
    /// The newest revision the snapshot holds.
    public var revision: Int64
    /// The compaction floor it keeps (-1: never compacted).
    public var compactRevision: Int64
    /// Rows in all of the database's tables (etcd counts the entries of all its buckets).
    public var totalKeys: Int64
    /// Bytes of the database, the digest left out (etcd: the bbolt file's size).
    public var totalSize: Int64
    /// The file ends in the SHA-256 digest a Snapshot RPC appends (a bare `ketch.db` does not).
    public var hasChecksum: Bool
}

/// Why a snapshot file cannot be used. Messages follow etcdutl 3.5's where it has one.
public enum SnapshotFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be read (`stat FILE: no such file or directory`, as Go words it).
    case cannotRead(String)
    /// An etcd (bbolt) snapshot: Ketch cannot use it.
    case etcdSnapshot(path: String)
    /// Neither a Ketch snapshot nor an etcd one.
    case notKetch(path: String, reason: String)
    /// No appended digest and no `--skip-hash-check`.
    case missingHash
    /// The appended digest does not match the database.
    case hashMismatch(expected: [UInt8], actual: [UInt8])
    /// The database is damaged (SQLite's integrity check, or the digest for `status`).
    case integrity([String])
    /// Written by a newer Ketch.
    case unsupportedVersion(path: String, version: Int64)
    /// The restore target already holds something.
    case dataDirectoryNotEmpty(String)
    /// Writing the restored data directory failed.
    case io(String)

    public var description: String {
        switch self {
        case .cannotRead(let text): return text
        case .etcdSnapshot(let path):
            return "\(path) is an etcd (bbolt) snapshot, not a Ketch one: Ketch stores data in SQLite and cannot read it; "
                + "use etcd's etcdutl to restore it for real etcd, or take the snapshot from ketch etcd"
        case .notKetch(let path, let reason):
            return "\(path) is not a Ketch snapshot (\(reason))"
        case .missingHash:
            return "snapshot missing hash but --skip-hash-check=false"
        case .hashMismatch(let expected, let actual):
            return "expected sha256 \(Self.goBytes(expected)), got \(Self.goBytes(actual))"
        case .integrity(let errors):
            return "snapshot file integrity check failed. \(errors.count) errors found.\n" + errors.joined(separator: "\n")
        case .unsupportedVersion(let path, let version):
            return "\(path) has store format version \(version), newer than this ketch supports "
                + "(\(SQLiteStorage.formatVersion)); use a newer ketch"
        case .dataDirectoryNotEmpty(let dir):
            return "data-dir \"\(dir)\" not empty or could not be read"
        case .io(let text): return text
        }
    }

    /// Go's `%v` of a `[]byte`: `[1 2 3]`.
    private static func goBytes(_ bytes: [UInt8]) -> String {
        "[" + bytes.map(String.init).joined(separator: " ") + "]"
    }
}

/// How `snapshot restore` makes the new member (etcdutl's restore flags, turned into IDs by the caller).
public struct SnapshotRestoreOptions: Sendable {
    /// Accept a file without the appended digest (a `member/ketch.db` copied by hand), or one
    /// whose digest does not match.
    public var skipHashCheck = false
    /// The new member's ID and its cluster's (from `--name`, `--initial-cluster`,
    /// `--initial-cluster-token`), recorded in `meta` as `member_id` / `cluster_id`.
    public var memberID: UInt64 = 0
    public var clusterID: UInt64 = 0

    public init(skipHashCheck: Bool = false, memberID: UInt64 = 0, clusterID: UInt64 = 0) {
        self.skipHashCheck = skipHashCheck
        self.memberID = memberID
        self.clusterID = clusterID
    }
}

/// Reading and restoring Ketch snapshot files (format: docs/snapshot-format.md).
public enum SnapshotFile {
    static let sqliteMagic = Array("SQLite format 3\0".utf8)
    /// bbolt's meta page magic (0xED0CDAED, little-endian) at offset 16 of the file.
    static let bboltMagic: [UInt8] = [0xED, 0xDA, 0x0C, 0xED]
    static let digestSize = 32

    /// etcd's `hasChecksum`: a whole number of 512-byte sectors plus the 32-byte digest.
    public static func hasChecksum(size: Int64) -> Bool { size % 512 == Int64(digestSize) }

    /// The SHA-256 digest a Snapshot RPC appends to `database`.
    static func digest(_ database: Data) -> [UInt8] { Array(SHA256.hash(data: database)) }

    /// Hash, revision, row count and size of the snapshot at `path`, after checking it is an
    /// intact Ketch snapshot (digest, when there is one, and SQLite's quick check).
    public static func status(path: String) throws -> SnapshotFileStatus {
        let scratch = NSTemporaryDirectory() + "ketch-snapshot-status-\(UUID().uuidString).db"
        defer { removeDatabase(at: scratch) }
        let copy = try extract(path, to: scratch)
        if copy.hasChecksum, copy.expected != copy.actual {
            throw SnapshotFileError.integrity(["sha256 of the database does not match the digest at the end of the file"])
        }
        return try inspect(scratch, source: path, crc: copy.crc, size: copy.size, hasChecksum: copy.hasChecksum) { _ in }
    }

    /// Restores the snapshot at `path` into a new data directory `dataDirectory`
    /// (`dataDirectory/member/ketch.db`), as `etcdutl snapshot restore` does for etcd:
    /// checks the digest (unless `skipHashCheck`), that the file is a Ketch store and intact,
    /// then makes it a new member: identity from the options, term reset (the first start is
    /// term 2, as on a fresh store), alarms cleared. Keys, revisions, history, the compaction
    /// floor, leases and auth are kept.
    ///
    /// The directory is assembled next to `dataDirectory` and renamed into place, so a failed
    /// restore leaves nothing behind; an existing non-empty `dataDirectory` is refused.
    @discardableResult
    public static func restore(path: String, to dataDirectory: String, options: SnapshotRestoreOptions = .init()) throws
        -> SnapshotFileStatus
    {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: dataDirectory, isDirectory: &isDirectory) {
            let empty = isDirectory.boolValue && ((try? fm.contentsOfDirectory(atPath: dataDirectory))?.isEmpty ?? false)
            if !empty { throw SnapshotFileError.dataDirectoryNotEmpty(dataDirectory) }
        }
        let standardized = (dataDirectory as NSString).standardizingPath
        var parent = (standardized as NSString).deletingLastPathComponent
        if parent.isEmpty { parent = "." }
        let base = (standardized as NSString).lastPathComponent
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw SnapshotFileError.io("cannot create \(parent): \(error.localizedDescription)")
        }
        let staging = (parent as NSString).appendingPathComponent(".\(base).restore-\(UUID().uuidString.prefix(8))")
        let member = (staging as NSString).appendingPathComponent("member")
        let database = (member as NSString).appendingPathComponent("ketch.db")
        var done = false
        defer { if !done { try? fm.removeItem(atPath: staging) } }
        do {
            try fm.createDirectory(atPath: member, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            _ = chmod(staging, 0o700)
        } catch {
            throw SnapshotFileError.io("cannot create \(member): \(error.localizedDescription)")
        }

        let copy = try extract(path, to: database)
        if !copy.hasChecksum && !options.skipHashCheck { throw SnapshotFileError.missingHash }
        if copy.hasChecksum && !options.skipHashCheck && copy.expected != copy.actual {
            throw SnapshotFileError.hashMismatch(expected: copy.expected, actual: copy.actual)
        }
        let status = try inspect(database, source: path, crc: copy.crc, size: copy.size, hasChecksum: copy.hasChecksum) { db in
            try db.execute("BEGIN IMMEDIATE")
            do {
                if try db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alarm'") ?? 0 > 0 {
                    try db.execute("DELETE FROM alarm")
                }
                let upsert = try db.statement(
                    "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")
                for (name, value) in [
                    (MetadataKey.term, Int64(1)),
                    (MetadataKey.memberID, Int64(bitPattern: options.memberID)),
                    (MetadataKey.clusterID, Int64(bitPattern: options.clusterID)),
                ] {
                    upsert.reset()
                    upsert.bind(1, name)
                    upsert.bind(2, value)
                    try upsert.step()
                }
                upsert.reset()
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
            // Everything into the main file: the data dir gets no -wal/-shm.
            try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        for suffix in ["-wal", "-shm", "-journal"] { unlink(database + suffix) }
        try fsync(path: database)
        try fsync(path: member)
        try fsync(path: staging)
        if Glibc.rename(staging, standardized) != 0 {
            let reason = String(cString: strerror(errno))
            if errno == ENOTEMPTY || errno == EEXIST { throw SnapshotFileError.dataDirectoryNotEmpty(dataDirectory) }
            throw SnapshotFileError.io("cannot move the restored data into \(dataDirectory): \(reason)")
        }
        done = true
        try? fsync(path: parent)
        return status
    }

    // MARK: Pieces

    private struct Extracted {
        var size: Int64
        var hasChecksum: Bool
        /// The digest at the end of the file (empty without one) and the database's.
        var expected: [UInt8]
        var actual: [UInt8]
        var crc: UInt32
    }

    /// Checks the file's header, then copies its database bytes (the digest left out) to
    /// `destination`, hashing them on the way.
    private static func extract(_ path: String, to destination: String) throws -> Extracted {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw SnapshotFileError.cannotRead("stat \(path): \(goErrno(errno))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw SnapshotFileError.notKetch(path: path, reason: "not a regular file")
        }
        guard let input = FileHandle(forReadingAtPath: path) else {
            throw SnapshotFileError.cannotRead("open \(path): \(goErrno(errno))")
        }
        defer { try? input.close() }
        let fileSize = Int64(info.st_size)
        let head = [UInt8]((try? input.read(upToCount: 20)) ?? Data())
        if head.count >= 20, Array(head[16..<20]) == bboltMagic {
            throw SnapshotFileError.etcdSnapshot(path: path)
        }
        guard head.count >= 16, Array(head[0..<16]) == sqliteMagic else {
            throw SnapshotFileError.notKetch(path: path, reason: "it is not an SQLite database")
        }
        try? input.seek(toOffset: 0)
        let hasChecksum = hasChecksum(size: fileSize)
        let databaseSize = hasChecksum ? fileSize - Int64(digestSize) : fileSize

        guard FileManager.default.createFile(atPath: destination, contents: nil, attributes: [.posixPermissions: 0o600]),
              let output = FileHandle(forWritingAtPath: destination)
        else {
            throw SnapshotFileError.io("cannot create \(destination): \(String(cString: strerror(errno)))")
        }
        defer { try? output.close() }
        var sha = SHA256()
        var crc = CRC32C()
        var remaining = databaseSize
        do {
            while remaining > 0 {
                let chunk = try input.read(upToCount: Int(min(remaining, 1 << 20))) ?? Data()
                if chunk.isEmpty { throw SnapshotFileError.io("\(path) ended early (it changed while being read?)") }
                sha.update(data: chunk)
                crc.update(chunk)
                try output.write(contentsOf: chunk)
                remaining -= Int64(chunk.count)
            }
            let trailer = hasChecksum ? [UInt8](try input.read(upToCount: digestSize) ?? Data()) : []
            return Extracted(size: databaseSize, hasChecksum: hasChecksum, expected: trailer,
                             actual: Array(sha.finalize()), crc: crc.value)
        } catch let error as SnapshotFileError {
            throw error
        } catch {
            throw SnapshotFileError.io("copying \(path) to \(destination) failed: \(error.localizedDescription)")
        }
    }

    /// Opens the extracted database, checks it is an intact Ketch store this build can read,
    /// lets `modify` change it, and counts what it holds.
    private static func inspect(_ database: String, source: String, crc: UInt32, size: Int64, hasChecksum: Bool,
                                modify: (SQLiteConnection) throws -> Void) throws -> SnapshotFileStatus {
        try checkLength(database, size: size)
        do {
            let db = try SQLiteConnection(path: database)
            defer { db.close() }
            let appID = try db.scalar("PRAGMA application_id") ?? 0
            guard appID == SQLiteStorage.applicationID else {
                throw SnapshotFileError.notKetch(
                    path: source, reason: "an SQLite database with application_id \(appID), not Ketch's \(SQLiteStorage.applicationID)")
            }
            let version = try db.scalar("PRAGMA user_version") ?? 0
            guard version <= SQLiteStorage.formatVersion else {
                throw SnapshotFileError.unsupportedVersion(path: source, version: version)
            }
            var problems: [String] = []
            let check = try db.statement("PRAGMA quick_check(20)")
            while try check.step() {
                let line = check.string(0)
                if line != "ok" { problems.append(line) }
            }
            check.reset()
            if !problems.isEmpty { throw SnapshotFileError.integrity(problems) }
            try modify(db)

            var tables: [String] = []
            let list = try db.statement("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            while try list.step() { tables.append(list.string(0)) }
            list.reset()
            var rows: Int64 = 0
            for table in tables {
                rows += try db.scalar("SELECT count(*) FROM \"\(table.replacingOccurrences(of: "\"", with: "\"\""))\"") ?? 0
            }
            let revision = try db.scalar("""
                SELECT max(
                    coalesce((SELECT value FROM meta WHERE name = '\(MetadataKey.currentRevision)'), 1),
                    coalesce((SELECT max(rev) FROM kv), 1))
                """) ?? 1
            let compacted = try db.scalar("SELECT value FROM meta WHERE name = '\(MetadataKey.compactRevision)'") ?? -1
            return SnapshotFileStatus(hash: crc, revision: revision, compactRevision: compacted, totalKeys: rows,
                                      totalSize: size, hasChecksum: hasChecksum)
        } catch let error as SQLiteError {
            if error.isCorruption {
                throw SnapshotFileError.integrity(["\(error.message) (sqlite code \(error.code))"])
            }
            throw SnapshotFileError.notKetch(path: source, reason: error.description)
        }
    }

    /// A cut file can still pass SQLite's quick check (when the pages lost were free), so the
    /// length is checked against the header: whole pages, and as many as the header counts
    /// (when that count is valid, i.e. its "version-valid-for" matches the change counter).
    private static func checkLength(_ database: String, size: Int64) throws {
        guard let handle = FileHandle(forReadingAtPath: database) else { return }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        guard header.count == 100 else {
            throw SnapshotFileError.integrity(["the database is \(size) bytes, shorter than an SQLite header"])
        }
        func be32(_ at: Int) -> UInt32 { header[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        let rawPageSize = Int64(header[16]) << 8 | Int64(header[17])
        let pageSize = rawPageSize == 1 ? 65536 : rawPageSize
        guard pageSize >= 512 else {
            throw SnapshotFileError.integrity(["the SQLite header's page size (\(rawPageSize)) is invalid"])
        }
        if size % pageSize != 0 {
            throw SnapshotFileError.integrity([
                "the database is \(size) bytes, not a whole number of \(pageSize)-byte pages (the file was cut?)",
            ])
        }
        let pages = Int64(be32(28))
        if pages > 0, be32(92) == be32(24), pages * pageSize != size {
            throw SnapshotFileError.integrity([
                "the database header counts \(pages) pages (\(pages * pageSize) bytes) but the file holds \(size) bytes",
            ])
        }
    }

    private static func removeDatabase(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    private static func fsync(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SnapshotFileError.io("cannot open \(path) to sync it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard Glibc.fsync(fd) == 0 else { throw SnapshotFileError.io("fsync \(path): \(String(cString: strerror(errno)))") }
    }

    /// An errno as Go's syscall package spells it (lower-case).
    private static func goErrno(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
