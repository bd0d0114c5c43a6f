import Foundation

/// What `ketch ctl` does to files on this machine without a server: a snapshot file's status,
/// restoring one into a new data directory, and defragmenting a data directory no server has
/// open. They need Ketch's storage format, which the client library must not link, so the
/// executable supplies an implementation (``CtlCommand/execute(_:environment:localStore:)``).
public protocol CtlLocalStore: Sendable {
    /// etcd's `hasChecksum`: whether a snapshot of `size` bytes ends in the SHA-256 digest.
    func snapshotHasChecksum(size: Int64) -> Bool

    /// Hash, revision, keys and size of a snapshot file; throws ``CtlLocalStoreError``.
    func snapshotStatus(path: String) throws -> CtlSnapshotStatus

    /// The message etcdutl prints when a restore's target directory exists and is not empty.
    func dataDirectoryNotEmptyMessage(_ dataDirectory: String) -> String

    /// etcd's member and cluster IDs for a member named `name` with `peerURLs` in a cluster
    /// created with `clusterToken`.
    func memberIDs(name: String, peerURLs: [String], clusterToken: String) -> (member: UInt64, cluster: UInt64)

    /// Restores the snapshot at `path` into the new data directory; throws ``CtlLocalStoreError``.
    func restoreSnapshot(path: String, to dataDirectory: String, skipHashCheck: Bool,
                         memberID: UInt64, clusterID: UInt64) throws -> CtlSnapshotStatus

    /// Opens an idle data directory's database for defragmentation; throws ``CtlLocalStoreError``.
    func openForDefragmentation(dataDirectory: String) throws -> any CtlDefragmentable
}

/// A data directory's database opened by ``CtlLocalStore/openForDefragmentation(dataDirectory:)``.
public protocol CtlDefragmentable {
    /// The file's size and the part of it in use, in bytes.
    func size() throws -> (total: Int64, inUse: Int64)
    /// Rewrites the database compactly.
    func defragment() throws
    /// Releases the database and its directory lock.
    func close()
}

/// A snapshot file's summary, as `snapshot status` prints it.
public struct CtlSnapshotStatus: Sendable, Equatable {
    /// CRC-32C of the database bytes (etcd's table).
    public var hash: UInt32
    /// The newest revision the snapshot holds.
    public var revision: Int64
    /// The compaction floor it keeps (-1: never compacted).
    public var compactRevision: Int64
    /// Rows in all of the database's tables.
    public var totalKeys: Int64
    /// Bytes of the database, the digest left out.
    public var totalSize: Int64

    /// A status from its parts.
    public init(hash: UInt32, revision: Int64, compactRevision: Int64, totalKeys: Int64, totalSize: Int64) {
        self.hash = hash
        self.revision = revision
        self.compactRevision = compactRevision
        self.totalKeys = totalKeys
        self.totalSize = totalSize
    }
}

/// A local store's failure; its description is the line `Error: …` shows.
public struct CtlLocalStoreError: Error, CustomStringConvertible, Sendable {
    /// The message, as the storage layer words it.
    public var description: String

    /// An error with `description`.
    public init(_ description: String) {
        self.description = description
    }
}

/// The local store of the running command; unset where no executable supplied one.
enum CtlLocal {
    @TaskLocal static var store: (any CtlLocalStore)?

    /// The current store, or etcdctl's error for a command this build cannot run.
    static func required(_ command: String) throws -> any CtlLocalStore {
        guard let store else {
            throw CtlFailure(CtlExit.error, "\(command) needs Ketch's storage, which this program was built without")
        }
        return store
    }
}
