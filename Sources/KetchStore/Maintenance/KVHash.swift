/// The answer to HashKV: etcd's hash of the key-value history up to a revision.
public struct KVHash: Sendable, Equatable {
    /// CRC-32C over the history, computed as etcd computes it, so equal histories give equal
    /// hashes on Ketch and on etcd.
    public var hash: UInt32
    /// The store's revision when the hash was taken (the response header's).
    public var currentRevision: Int64
    /// The compaction floor when the hash was taken, -1 when never compacted.
    public var compactRevision: Int64
    /// The revision the hash covers.
    public var hashRevision: Int64
}

/// etcd's `HashByRev`: CRC-32C of the bucket name, then of every stored change up to the hashed
/// revision as bbolt holds it (revision key, marshalled KeyValue), in revision order.
///
/// Changes at or below the compaction floor count only if a compaction at the hashed revision
/// would keep them (etcd's `kvindex.Keep`) — unless that set is empty, when etcd counts them all.
struct KVHasher {
    private let hashRevision: Int64
    private let compactRevision: Int64
    /// Revisions at or below the compaction floor that count.
    private let kept: Set<Revision>
    private var crc = CRC32C()

    init(hashRevision: Int64, compactRevision: Int64, kept: Set<Revision>) {
        self.hashRevision = hashRevision
        self.compactRevision = compactRevision
        self.kept = kept
        crc.update(EtcdKeyEncoding.keyBucketName)
    }

    /// The revisions at or below `compactRevision` that etcd would hash at `hashRevision`.
    /// Callers hold the state lock.
    static func keptRevisions(in index: KeyIndex, hashRevision: Int64, compactRevision: Int64) -> Set<Revision> {
        var kept: Set<Revision> = []
        var anyLive = false
        index.forEachHistory { h in
            guard let live = h.live(at: hashRevision) else { return }
            anyLive = true
            if live.revision.main <= compactRevision { kept.insert(live.revision) }
        }
        if anyLive { return kept }
        // etcd skips the filter when nothing is live at the hashed revision: then whatever the
        // last compaction left at or below its floor is hashed.
        var survivors: Set<Revision> = []
        index.forEachHistory { h in
            for e in h.entries where e.revision.main <= compactRevision { survivors.insert(e.revision) }
        }
        return survivors
    }

    mutating func add(_ change: StoredChange) {
        guard change.revision.main <= hashRevision else { return }
        if change.revision.main <= compactRevision && !kept.contains(change.revision) { return }
        crc.update(EtcdKeyEncoding.revisionKey(change.revision, tombstone: change.isTombstone))
        crc.update(EtcdKeyEncoding.keyValue(change))
    }

    var value: UInt32 { crc.value }
}
