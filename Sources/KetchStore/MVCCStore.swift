import Foundation
import Logging

/// Limits the store enforces, named after etcd's flags.
public struct StoreOptions: Sendable {
    /// `--max-txn-ops`: operations allowed in one txn branch.
    public var maxTxnOps: Int = 128

    public init(maxTxnOps: Int = 128) {
        self.maxTxnOps = maxTxnOps
    }
}

/// An MVCC key-value store with etcd's semantics: every change gets a revision, history stays
/// readable until compacted, and a write is answered only once it is durable.
///
/// Reads are served from the in-memory index at the newest durable revision and never wait for
/// a commit; writes go through one serial writer that commits in groups.
public final class MVCCStore: Sendable {
    // Internal (not private) so capabilities in other files of this module extend the store.
    let state: MVCCState
    let storage: any StorageEngine
    let writer: GroupCommitWriter
    let validator: RequestValidator
    /// The backend quota and alarms, checked before writes reach the writer (see Maintenance/).
    let admission: WriteAdmission

    /// Opens a store over `storage`, rebuilding the index from what it holds.
    public init(storage: any StorageEngine, options: StoreOptions = StoreOptions(), logger: Logger = Logger(label: "ketch.store")) throws {
        let state = MVCCState()
        let stored = try storage.load()
        try state.restore(from: stored)
        // Each start is a new term, as a restarted etcd member campaigns again; persisted like raft's HardState.
        term = (stored.metadata[MetadataKey.term] ?? 1) + 1
        var bump = CommitBatch()
        bump.metadata[MetadataKey.term] = term
        try storage.commit(bump)
        self.state = state
        self.storage = storage
        self.validator = RequestValidator(maxTxnOps: options.maxTxnOps)
        self.admission = try WriteAdmission(state: state, storage: storage)
        self.writer = GroupCommitWriter(state: state, storage: storage, logger: logger)
    }

    /// Opens the default SQLite store under an etcd-style data directory.
    public convenience init(dataDirectory: String, options: StoreOptions = StoreOptions(), logger: Logger = Logger(label: "ketch.store")) throws {
        try self.init(storage: SQLiteStorage(dataDirectory: dataDirectory), options: options, logger: logger)
    }

    /// The term of this run: 2 on a fresh store, one more on every restart (etcd's raft term).
    public let term: Int64

    /// The newest durable revision.
    public var currentRevision: Int64 { state.withLock { state.committedRevision } }

    /// The revision of the last compaction, or -1.
    public var compactRevision: Int64 { state.withLock { state.compactRevision } }

    /// The number of keys held (live or with history).
    public var keyCount: Int { state.withLock { state.index.keyCount } }

    /// The size of the persisted data: total bytes and bytes in use.
    public func storageSize() throws -> (total: Int64, inUse: Int64) { try storage.size() }

    // MARK: Reads

    public func range(_ r: RangeRequest) throws -> RangeResponse {
        try validator.check(r)
        return try state.withLock {
            try RangeReader(index: state.index, storage: storage)
                .read(r, current: state.committedRevision, compacted: state.compactRevision)
        }
    }

    // MARK: Writes

    public func put(_ r: PutRequest) async throws -> PutResponse {
        try await withCheckedThrowingContinuation { c in put(r) { c.resume(with: $0) } }
    }

    public func deleteRange(_ r: DeleteRangeRequest) async throws -> DeleteRangeResponse {
        try await withCheckedThrowingContinuation { c in deleteRange(r) { c.resume(with: $0) } }
    }

    /// A transaction; one that cannot write is answered from the committed state without the writer.
    public func txn(_ r: TxnRequest) async throws -> TxnResponse {
        try await withCheckedThrowingContinuation { c in txn(r) { c.resume(with: $0) } }
    }

    // The same writes for callers that cannot await (the gRPC fast path answers on an event
    // loop). `completion` runs exactly once: at once for a refused request, else on the writer's
    // queue when the write is durable.

    /// `put(_:)` answering through `completion`.
    public func put(_ r: PutRequest, completion: @escaping @Sendable (Result<PutResponse, any Error>) -> Void) {
        do {
            try admission.checkQuota(.put(r))
            try validator.check(r)
            try admission.checkAlarms(.put(r))
        } catch {
            return completion(.failure(error))
        }
        writer.submit(.put(r)) { result in
            completion(result.map { guard case .put(let response) = $0 else { preconditionFailure() }; return response })
        }
    }

    /// `deleteRange(_:)` answering through `completion`.
    public func deleteRange(_ r: DeleteRangeRequest, completion: @escaping @Sendable (Result<DeleteRangeResponse, any Error>) -> Void) {
        do {
            try validator.check(r)
            try admission.checkAlarms(.deleteRange)
        } catch {
            return completion(.failure(error))
        }
        writer.submit(.deleteRange(r)) { result in
            completion(result.map { guard case .deleteRange(let response) = $0 else { preconditionFailure() }; return response })
        }
    }

    /// `txn(_:)` answering through `completion`; a read-only txn answers before returning.
    public func txn(_ r: TxnRequest, completion: @escaping @Sendable (Result<TxnResponse, any Error>) -> Void) {
        do {
            try admission.checkQuota(.txn(r))
            try validator.check(r)
            try admission.checkAlarms(.txn(r))
        } catch {
            return completion(.failure(error))
        }
        if r.isReadOnly {
            return completion(Result {
                try state.withLock {
                    let executor = TxnExecutor(state: state, storage: storage, beginRevision: state.committedRevision)
                    let response = try executor.txn(r)
                    if let failure = executor.storageFailure { throw failure }
                    return response
                }
            })
        }
        writer.submit(.txn(r)) { result in
            completion(result.map { guard case .txn(let response) = $0 else { preconditionFailure() }; return response })
        }
    }

    /// Drops history below `revision` from memory and disk; answers once done.
    public func compact(revision: Int64) async throws -> CompactResponse {
        try admission.checkAlarms(.compaction)
        guard case .compact(let response) = try await writer.submit(.compact(revision)) else { preconditionFailure() }
        return response
    }

    /// Finishes queued writes and releases the storage; later writes fail with `StoreError.closed`.
    public func close() {
        writer.stop(with: .closed)
        writer.flush()
        storage.close()
    }
}
