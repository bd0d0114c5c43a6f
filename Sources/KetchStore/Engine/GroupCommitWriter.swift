import Dispatch
import Foundation
import Logging
import Synchronization

/// A change request for the serial writer.
enum WriteOp: Sendable {
    case put(PutRequest)
    case deleteRange(DeleteRangeRequest)
    case txn(TxnRequest)
    case compact(Int64)
    case leaseGrant(id: Int64, ttl: Int64)
    case leaseRevoke(Int64)
}

/// Receives the writer's answer to a `WriteOp`.
typealias WriteCompletion = @Sendable (Result<WriteResult, any Error>) -> Void

/// The writer's answer to a `WriteOp`.
enum WriteResult: Sendable {
    case put(PutResponse)
    case deleteRange(DeleteRangeResponse)
    case txn(TxnResponse)
    case compact(CompactResponse)
    case leaseGrant(LeaseInfo)
    /// The revision after the revocation (unchanged when the lease had no keys).
    case leaseRevoke(Int64)
}

/// The one serial writer with group commit.
///
/// Requests queue up while a commit is on disk; the writer then applies all of them in memory,
/// each its own revision, and makes them durable with one transaction (one fsync). Callers are
/// answered only after that, and reads see the new revisions only after that.
final class GroupCommitWriter: Sendable {
    private struct Pending {
        var op: WriteOp
        var complete: WriteCompletion
    }

    private struct Queue {
        var pending: [Pending] = []
        var draining = false
        var failure: StoreError?
    }

    private let state: MVCCState
    private let storage: any StorageEngine
    /// Wakes watchers once new revisions are durable.
    let commits = CommitSignal()
    private let queue = Mutex(Queue())
    private let dispatch = DispatchQueue(label: "ketch.store.writer", qos: .userInitiated)
    private let logger: Logger

    init(state: MVCCState, storage: any StorageEngine, logger: Logger) {
        self.state = state
        self.storage = storage
        self.logger = logger
    }

    func submit(_ op: WriteOp) async throws -> WriteResult {
        try await withCheckedThrowingContinuation { continuation in
            submit(op) { continuation.resume(with: $0) }
        }
    }

    /// Queues `op`; `complete` runs on the writer's queue once the op is durable (or failed).
    /// For callers that must not wait in a task, such as the gRPC fast path on an event loop.
    func submit(_ op: WriteOp, complete: @escaping WriteCompletion) {
        let outcome: (start: Bool, failure: StoreError?) = queue.withLock { q in
            if let failure = q.failure { return (false, failure) }
            q.pending.append(Pending(op: op, complete: complete))
            if q.draining { return (false, nil) }
            q.draining = true
            return (true, nil)
        }
        if let failure = outcome.failure {
            complete(.failure(failure))
        } else if outcome.start {
            dispatch.async { self.drain() }
        }
    }

    /// Stops accepting writes; queued ones fail with `error`.
    func stop(with error: StoreError) {
        let orphans = queue.withLock { q -> [Pending] in
            if q.failure == nil { q.failure = error }
            defer { q.pending.removeAll() }
            return q.pending
        }
        for p in orphans { p.complete(.failure(error)) }
    }

    /// Waits until everything queued so far has been written.
    func flush() {
        dispatch.sync {}
    }

    /// Runs `body` on the writer's own queue, between two group commits: nothing is in flight
    /// while it runs and the next group waits for it (defragmentation needs the database to itself).
    func betweenCommits<T>(_ body: () throws -> T) rethrows -> T {
        try dispatch.sync(execute: body)
    }

    private func drain() {
        while true {
            let batch: [Pending] = queue.withLock { q in
                let batch = q.pending
                q.pending.removeAll(keepingCapacity: true)
                if batch.isEmpty { q.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            var start = 0
            while start < batch.count {
                if let failure = queue.withLock({ $0.failure }) {
                    for pending in batch[start...] { pending.complete(.failure(failure)) }
                    break
                }
                // A compaction commits alone, so it never removes history a pending read still sees.
                if case .compact(let revision) = batch[start].op {
                    commitCompaction(revision, for: batch[start])
                    start += 1
                    continue
                }
                var end = start
                while end < batch.count {
                    if case .compact = batch[end].op { break }
                    end += 1
                }
                commitGroup(batch[start..<end])
                start = end
            }
        }
    }

    private func commitGroup(_ group: ArraySlice<Pending>) {
        var results: [Result<WriteResult, any Error>] = []
        var commit = CommitBatch()
        var touched: [KeyHistory] = []
        var events: [ChangeEvent] = []
        var unreadable: StoreError?
        state.withLock {
            for pending in group {
                let executor = TxnExecutor(state: state, storage: storage, beginRevision: state.currentRevision)
                do {
                    let result: WriteResult
                    switch pending.op {
                    case .put(let r): result = .put(try executor.put(r))
                    case .deleteRange(let r): result = .deleteRange(executor.deleteRange(r))
                    case .txn(let r): result = .txn(try executor.txn(r))
                    case .compact: preconditionFailure("compactions commit alone")
                    case .leaseGrant(let id, let ttl):
                        result = .leaseGrant(try grantLease(id: id, ttl: ttl))
                        commit.grantedLeases[id] = ttl
                    case .leaseRevoke(let id):
                        result = .leaseRevoke(try executor.revokeLease(id))
                        commit.revokedLeases.append(id)
                    }
                    state.currentRevision = executor.revision
                    commit.changes += executor.changes
                    touched += executor.touched
                    events += executor.events
                    results.append(.success(result))
                } catch {
                    results.append(.failure(error))
                }
                if let failure = executor.storageFailure {
                    unreadable = failure
                    break
                }
            }
        }
        if let failure = unreadable {
            // A value could not be read back: memory may hold a half-applied request, so as
            // after a failed commit nothing more is written.
            logger.critical("reading a stored value failed; refusing further writes", metadata: ["error": "\(failure)"])
            for pending in group { pending.complete(.failure(failure)) }
            stop(with: failure)
            return
        }
        guard persist(commit, group: group) else { return }
        let committed = state.withLock {
            state.committedRevision = state.currentRevision
            state.recentEvents.append(events)
            for h in touched { h.dropSupersededValues(upTo: state.committedRevision) }
            return state.committedRevision
        }
        for (pending, result) in zip(group, results) {
            pending.complete(result)
        }
        if !events.isEmpty { commits.publish(committed) }
    }

    /// Records a new lease (the caller holds the state lock).
    private func grantLease(id: Int64, ttl: Int64) throws -> LeaseInfo {
        if state.leases[id] != nil { throw StoreError.leaseExists }
        let ttl = max(ttl, LeaseLimits.minimumTTL)
        state.leases[id] = Lease(id: id, grantedTTL: ttl, expiry: .now + .seconds(ttl))
        return LeaseInfo(id: id, grantedTTL: ttl, ttl: ttl, keys: [])
    }

    private func commitCompaction(_ revision: Int64, for pending: Pending) {
        var commit = CommitBatch()
        let outcome: Result<WriteResult, any Error> = state.withLock {
            if revision <= state.compactRevision { return .failure(StoreError.compacted) }
            if revision > state.currentRevision { return .failure(StoreError.futureRevision) }
            commit.compacted = state.index.compact(at: revision)
            state.compactRevision = revision
            commit.metadata[MetadataKey.compactRevision] = revision
            // Every other commit's newest row carries the current revision; compaction may remove
            // that row (a tombstone), so the revision is persisted here instead of on every commit.
            commit.metadata[MetadataKey.currentRevision] = state.currentRevision
            return .success(.compact(CompactResponse(revision: state.currentRevision)))
        }
        if case .success = outcome {
            guard persist(commit, group: [pending]) else { return }
            logger.info("finished scheduled compaction", metadata: [
                "compact-revision": "\(revision)", "removed-revisions": "\(commit.compacted.count)",
            ])
        }
        pending.complete(outcome)
    }

    /// Makes `commit` durable; on failure stops the writer for good, since memory is now ahead of disk.
    private func persist(_ commit: CommitBatch, group: some Collection<Pending>) -> Bool {
        do {
            try storage.commit(commit)
            return true
        } catch {
            let failure = (error as? StoreError) ?? .storageFailure("\(error)")
            logger.critical("durable commit failed; refusing further writes", metadata: ["error": "\(failure)"])
            for pending in group { pending.complete(.failure(failure)) }
            stop(with: failure)
            return false
        }
    }
}
