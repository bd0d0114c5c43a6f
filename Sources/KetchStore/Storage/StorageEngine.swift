import Foundation

/// One change as the durable log keeps it: a put (with its value) or a tombstone.
public struct StoredChange: Sendable, Equatable {
    public var revision: Revision
    public var key: Data
    public var value: Data
    public var createRevision: Int64
    public var version: Int64
    public var lease: Int64
    public var isTombstone: Bool

    public init(revision: Revision, key: Data, value: Data, createRevision: Int64, version: Int64, lease: Int64, isTombstone: Bool) {
        self.revision = revision
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.version = version
        self.lease = lease
        self.isTombstone = isTombstone
    }
}

/// Everything one group commit makes durable, atomically.
public struct CommitBatch: Sendable {
    /// New changes, in revision order.
    public var changes: [StoredChange] = []
    /// Changes removed by compaction.
    public var compacted: [Revision] = []
    /// Store-wide counters (current revision, compact revision, …) to persist with the batch.
    public var metadata: [String: Int64] = [:]
    /// Leases granted (ID → TTL in seconds).
    public var grantedLeases: [Int64: Int64] = [:]
    /// Leases revoked or expired.
    public var revokedLeases: [Int64] = []

    public init() {}

    public var isEmpty: Bool {
        changes.isEmpty && compacted.isEmpty && metadata.isEmpty && grantedLeases.isEmpty && revokedLeases.isEmpty
    }
}

/// What a storage engine hands back when the store opens.
public struct StoredState: Sendable {
    public var metadata: [String: Int64]
    /// Every change still kept, in revision order.
    public var changes: [StoredChange]
    /// Live leases (ID → granted TTL in seconds).
    public var leases: [Int64: Int64] = [:]
    /// The changes carry no values (each `value` is empty): the store reads a value from the
    /// engine the first time it needs it, so start-up time and memory follow the number of
    /// changes, not their bytes.
    public var valuesDeferred = false
}

/// The seam between MVCC rules (in `MVCCStore`) and how changes are persisted.
/// Engines order nothing themselves and decide no revision: they only keep what they are given,
/// durably, and read it back. SQLite is the default; PostgreSQL can follow the same protocol.
public protocol StorageEngine: AnyObject, Sendable {
    /// Reads every kept change and the metadata; called once, before any commit.
    func load() throws -> StoredState
    /// Makes the batch durable (fsync) before returning; all or nothing.
    func commit(_ batch: CommitBatch) throws
    /// Values of changes that are no longer held in memory (historical reads).
    func values(at revisions: [Revision]) throws -> [Revision: Data]
    /// The size of the persisted data in bytes, and the part of it in use.
    func size() throws -> (total: Int64, inUse: Int64)
    /// Releases files and connections.
    func close()
}
