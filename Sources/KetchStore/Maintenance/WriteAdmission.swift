import Synchronization

/// Decides whether a write may reach the writer, as etcd's quota layer and alarm appliers do:
/// past the quota the NOSPACE alarm is raised and the write refused; while alarms are raised
/// writes are refused according to `AlarmStore.Restriction`.
///
/// The two checks are separate because etcd validates a request between them (quota at the
/// gRPC layer, before validation; alarms when applying, after it).
final class WriteAdmission: Sendable {
    let alarms: AlarmStore
    let quota: BackendQuota
    private let state: MVCCState
    /// The member NOSPACE alarms are raised for; set by the server, 0 until then.
    private let memberID = Atomic<UInt64>(0)

    init(state: MVCCState, storage: any StorageEngine) throws {
        let maintenance = storage as? any StorageMaintenance
        self.state = state
        self.alarms = try AlarmStore(storage: maintenance)
        self.quota = BackendQuota(probe: try maintenance?.makeQuotaSizeProbe())
    }

    func configure(memberID: UInt64, quotaBackendBytes: Int64) {
        self.memberID.store(memberID, ordering: .relaxed)
        quota.configure(quotaBackendBytes: quotaBackendBytes)
    }

    /// etcd's `quotaKVServer`/`quotaLeaseServer`: puts, txns (read-only ones too) and lease
    /// grants that would not fit raise NOSPACE and fail.
    func checkQuota(_ write: GuardedWrite) throws {
        switch write {
        case .put, .txn, .leaseGrant: break
        case .deleteRange, .compaction, .leaseRevoke: return
        }
        let version = state.withLock {
            BackendQuota.StoreVersion(committedRevision: state.committedRevision, compactRevision: state.compactRevision)
        }
        if quota.isAvailable(write, version: version) { return }
        // Refused either way; an alarm that could not be recorded is raised again by the next write.
        _ = try? alarms.activate(AlarmMember(memberID: memberID.load(ordering: .relaxed), type: .noSpace))
        throw AlarmError.noSpace
    }

    /// etcd's capped and corrupt appliers.
    func checkAlarms(_ write: GuardedWrite) throws {
        if case .txn(let t) = write, t.isReadOnly { return }  // served without the applier
        switch alarms.restriction {
        case .none:
            return
        case .capped:
            switch write {
            case .put, .leaseGrant: throw AlarmError.noSpace
            case .txn: if BackendQuota.cost(of: write) > 0 { throw AlarmError.noSpace }
            case .deleteRange, .compaction, .leaseRevoke: return
            }
        case .corrupt:
            throw AlarmError.corrupt
        }
    }

    /// Both checks, for requests etcd does not validate in between (lease grant and revoke).
    func admit(_ write: GuardedWrite) throws {
        try checkQuota(write)
        try checkAlarms(write)
    }
}
