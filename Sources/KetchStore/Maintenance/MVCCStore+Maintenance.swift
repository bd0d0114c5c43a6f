import Dispatch
import Foundation

/// etcd's Maintenance capabilities: alarms and the backend quota, hashes of the history,
/// defragmentation and snapshots.
extension MVCCStore {
    // MARK: Quota and alarms

    /// Applies `--quota-backend-bytes` (0: etcd's default of 2 GiB, negative: no quota) and
    /// names the member that NOSPACE alarms are raised for.
    public func configureQuota(memberID: UInt64, quotaBackendBytes: Int64) {
        admission.configure(memberID: memberID, quotaBackendBytes: quotaBackendBytes)
    }

    /// The quota in force in bytes, nil when disabled.
    public var quotaBackendBytes: Int64? { admission.quota.bytes }

    /// Raised alarms of `type` (`.none`: all).
    public func alarms(_ type: AlarmType = .none) -> [AlarmMember] {
        admission.alarms.list(type)
    }

    /// Raises an alarm, durably. Answers the alarm (also when it was already raised), or nil for `.none`.
    public func activateAlarm(_ alarm: AlarmMember) throws -> AlarmMember? {
        try admission.alarms.activate(alarm)
    }

    /// Clears an alarm, durably. Answers it, or nil when it was not raised.
    public func deactivateAlarm(_ alarm: AlarmMember) throws -> AlarmMember? {
        try admission.alarms.deactivate(alarm)
    }

    /// Throws when etcd would refuse a lease grant: past the quota (raising NOSPACE), or while
    /// NOSPACE or CORRUPT is raised.
    func admitLeaseGrant() throws {
        try admission.admit(.leaseGrant)
    }

    /// Throws when etcd would refuse a lease revocation: while CORRUPT is raised.
    func admitLeaseRevoke() throws {
        try admission.admit(.leaseRevoke)
    }

    // MARK: Hashes

    /// etcd's HashKV: the hash of the history up to `revision` (0: the newest).
    /// Throws `compacted` for a revision at or below the compaction floor and `futureRevision`
    /// above the newest, as etcd does.
    public func hashKV(revision: Int64) async throws -> KVHash {
        let storage = try maintenanceStorage("HashKV")
        return try await offloaded { [self] in
            // A compaction while scanning changes what etcd would have hashed: start over.
            while true {
                let (current, compacted, target, kept) = try state.withLock {
                    let current = state.committedRevision
                    let compacted = state.compactRevision
                    if revision > 0 && revision <= compacted { throw StoreError.compacted }
                    if revision > current { throw StoreError.futureRevision }
                    let target = revision == 0 ? current : revision
                    return (current, compacted, target,
                            KVHasher.keptRevisions(in: state.index, hashRevision: target, compactRevision: compacted))
                }
                var hasher = KVHasher(hashRevision: target, compactRevision: compacted, kept: kept)
                try storage.forEachChange(through: target) { hasher.add($0) }
                if state.withLock({ state.compactRevision }) == compacted {
                    return KVHash(hash: hasher.value, currentRevision: current, compactRevision: compacted, hashRevision: target)
                }
            }
        }
    }

    /// etcd's Hash: a hash of everything the store keeps, with the revision it was taken at.
    /// (etcd hashes its whole bbolt file, so the numbers differ from etcd's; equal stores agree.)
    public func hash() async throws -> (hash: UInt32, revision: Int64) {
        let storage = try maintenanceStorage("Hash")
        return try await offloaded { [self] in
            let current = state.withLock { state.committedRevision }
            var hasher = KVHasher(hashRevision: current, compactRevision: -1, kept: [])
            try storage.forEachChange(through: current) { hasher.add($0) }
            return (hasher.value, current)
        }
    }

    // MARK: Defragmentation

    /// Rewrites the database compactly, so space freed by compaction leaves the file.
    /// Like etcd's, it holds up reads and writes while it runs.
    public func defragment() async throws {
        let storage = try maintenanceStorage("Defragment")
        try await offloaded { [self] in
            try whileWritesPaused(storage) { try storage.defragment() }
            admission.quota.invalidate()
        }
    }

    /// Runs `body` while the writer cannot commit: on the writer's queue between two group
    /// commits, holding the state lock so no reader touches storage meanwhile.
    private func whileWritesPaused(_ storage: any StorageMaintenance, _ body: () throws -> Void) throws {
        try writer.betweenCommits {
            try state.withLock { try body() }
        }
    }

    // MARK: Snapshots

    /// A consistent copy of the whole store at one revision, to stream to a client.
    public func snapshot() async throws -> StoreSnapshot {
        let storage = try maintenanceStorage("Snapshot")
        let path = (storage.scratchDirectory as NSString)
            .appendingPathComponent("ketch-snapshot-\(UUID().uuidString).db.tmp")
        do {
            let revision = try await offloaded { try storage.copyDatabase(to: path) }
            return try StoreSnapshot(path: path, revision: revision)
        } catch {
            unlink(path)
            throw error
        }
    }

    /// The member and cluster IDs `snapshot restore` made this data directory for (nil when it
    /// was not restored, or the engine keeps no such record).
    public func restoredIdentity() -> (memberID: UInt64, clusterID: UInt64)? {
        guard let storage = storage as? any StorageMaintenance,
              let member = try? storage.persistedCounter(MetadataKey.memberID),
              let cluster = try? storage.persistedCounter(MetadataKey.clusterID)
        else { return nil }
        return (UInt64(bitPattern: member), UInt64(bitPattern: cluster))
    }

    // MARK: Helpers

    private func maintenanceStorage(_ operation: String) throws -> any StorageMaintenance {
        guard let storage = storage as? any StorageMaintenance else {
            throw MaintenanceUnsupportedError(operation: operation)
        }
        return storage
    }
}

/// Runs blocking storage work on a Dispatch thread, keeping Swift's cooperative threads free.
func offloaded<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .utility).async {
            continuation.resume(with: Result { try body() })
        }
    }
}
