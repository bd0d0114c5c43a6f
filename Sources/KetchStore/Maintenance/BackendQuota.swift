import Synchronization

/// etcd's backend quota (`--quota-backend-bytes`): a write is refused when the database size
/// plus an estimate of what the write adds reaches the limit.
final class BackendQuota: Sendable {
    /// etcd's `DefaultQuotaBytes`, used when the flag is 0.
    static let defaultBytes: Int64 = 2 * 1024 * 1024 * 1024
    /// etcd's estimate of a key's metadata cost (`kvOverhead`).
    static let keyOverhead = 256
    /// etcd's estimate of a lease's cost (`leaseOverhead`).
    static let leaseOverhead = 64
    /// A measured size is reused while the store has not changed, but never for longer than
    /// this (lease changes commit without a new revision).
    static let maximumSizeAge: Duration = .seconds(1)

    /// What the size was measured against: the committed and the compaction revision.
    struct StoreVersion: Equatable {
        var committedRevision: Int64
        var compactRevision: Int64
    }

    private struct Measurement {
        var version: StoreVersion
        var size: Int64
        var at: ContinuousClock.Instant
    }

    /// The limit in bytes; nil when disabled (a negative flag, as in etcd).
    private let limit = Mutex<Int64?>(BackendQuota.defaultBytes)
    private let probe: (any QuotaSizeProbe)?
    private let measurement = Mutex<Measurement?>(nil)

    /// Without a probe (storage without maintenance support) every write fits.
    init(probe: (any QuotaSizeProbe)?) {
        self.probe = probe
    }

    /// Sets the limit from etcd's flag: 0 means the default (2 GiB), negative disables the quota.
    func configure(quotaBackendBytes: Int64) {
        limit.withLock { $0 = quotaBackendBytes < 0 ? nil : (quotaBackendBytes == 0 ? Self.defaultBytes : quotaBackendBytes) }
    }

    /// The limit in force, nil when disabled.
    var bytes: Int64? { limit.withLock { $0 } }

    /// etcd's `Cost`: the bytes a request is expected to add; 0 for requests the quota ignores.
    static func cost(of write: GuardedWrite) -> Int {
        switch write {
        case .put(let r): return keyOverhead + r.key.count + r.value.count
        case .txn(let t):
            // Only top-level puts count, and only the larger branch, as etcd's `costTxn`.
            func cost(_ ops: [RequestOp]) -> Int {
                ops.reduce(0) { sum, op in
                    if case .put(let p) = op { return sum + keyOverhead + p.key.count + p.value.count }
                    return sum
                }
            }
            return max(cost(t.success), cost(t.failure))
        case .leaseGrant: return leaseOverhead
        case .deleteRange, .compaction, .leaseRevoke: return 0
        }
    }

    /// etcd's `Available`: size + cost stays below the limit. `version` says which state of
    /// the store a cached size must belong to.
    func isAvailable(_ write: GuardedWrite, version: StoreVersion) -> Bool {
        guard let limit = bytes else { return true }
        return measuredSize(version: version) + Int64(Self.cost(of: write)) < limit
    }

    /// Forgets the cached size (after the file shrank without a new revision: defragmentation).
    func invalidate() {
        measurement.withLock { $0 = nil }
    }

    /// The database size, measured again unless the last measurement is of `version` and recent.
    func measuredSize(version: StoreVersion) -> Int64 {
        guard let probe else { return 0 }
        let now = ContinuousClock.now
        if let m = measurement.withLock({ $0 }), m.version == version, now - m.at < Self.maximumSizeAge {
            return m.size
        }
        // A failed measurement lets the write through: the write itself will meet a broken disk.
        guard let size = try? probe.size() else { return 0 }
        measurement.withLock { $0 = Measurement(version: version, size: size, at: now) }
        return size
    }
}
