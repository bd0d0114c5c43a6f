import Foundation

/// The store's in-memory state: the key index and the revision counters, behind one lock.
///
/// The writer holds the lock only while it applies a request in memory — never across the
/// fsync — so readers wait at most for one in-memory apply.
final class MVCCState: @unchecked Sendable {
    private let lock = NSLock()
    let index = KeyIndex()
    /// The newest revision the writer has assigned (may not be durable yet).
    var currentRevision: Int64 = 1
    /// The newest durable revision; reads see nothing above it.
    var committedRevision: Int64 = 1
    /// The revision of the last compaction, -1 when none (as etcd's `compactMainRev`).
    var compactRevision: Int64 = -1
    /// Leases that exist; writes naming any other lease fail.
    var leases: [Int64: Lease] = [:]
    /// Recently committed changes, for watchers.
    var recentEvents = EventRing(startingAfter: 1)

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Rebuilds the index from the durable log.
    func restore(from stored: StoredState) throws {
        var histories: [Data: KeyHistory] = [:]
        var newest: Int64 = 1
        for change in stored.changes {
            let h: KeyHistory
            if let existing = histories[change.key] {
                h = existing
            } else {
                h = KeyHistory(key: change.key)
                histories[change.key] = h
            }
            if let last = h.latest, last.revision >= change.revision {
                throw StoreError.unusableDataDirectory("data is corrupt: key revisions out of order at \(change.revision)")
            }
            h.append(.init(
                revision: change.revision, createRevision: change.createRevision, version: change.version,
                lease: change.lease, isTombstone: change.isTombstone,
                value: stored.valuesDeferred && !change.isTombstone ? nil : change.value))
            newest = max(newest, change.revision.main)
        }
        for h in histories.values {
            h.dropSupersededValues(upTo: .max)
        }
        index.bulkLoad(Array(histories.values))
        let persisted = stored.metadata[MetadataKey.currentRevision] ?? 1
        currentRevision = max(newest, persisted)
        committedRevision = currentRevision
        compactRevision = stored.metadata[MetadataKey.compactRevision] ?? -1
        recentEvents = EventRing(startingAfter: currentRevision)
        // Leases restart their TTL, as etcd's do after a restart; keys attach again from the index.
        let now = ContinuousClock.now
        for (id, ttl) in stored.leases {
            leases[id] = Lease(id: id, grantedTTL: ttl, expiry: now + .seconds(ttl))
        }
        index.forEachHistory { h in
            if let e = h.latest, !e.isTombstone, e.lease != 0 {
                leases[e.lease]?.keys.insert(h.key)
            }
        }
    }
}

/// Names of the store's counters in the durable metadata.
enum MetadataKey {
    static let currentRevision = "current_revision"
    static let compactRevision = "compact_revision"
    static let term = "term"
    /// Written by `snapshot restore`: the member and cluster IDs the restore was made for
    /// (bit patterns of the unsigned IDs). Informational; `ketch etcd` derives IDs from its flags.
    static let memberID = "member_id"
    static let clusterID = "cluster_id"
}
