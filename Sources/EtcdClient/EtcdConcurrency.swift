import EtcdProto
import Foundation
import Synchronization

// etcd's client-side concurrency recipes (Go: go.etcd.io/etcd/client/v3/concurrency), over KV,
// Lease and Watch only, with the same key layout, so that Swift and Go programs (etcdctl `lock`
// and `elect`) contend for the same locks and elections:
//
//  * a session is a lease kept alive while the program lives;
//  * a mutex `NAME` is the set of keys `NAME/<lease ID in hex>`, one per waiter, each attached to
//    its waiter's session lease; the key with the lowest create revision holds the lock, and
//    every waiter waits for the deletion of the key created just before its own;
//  * an election `NAME` is the same set of keys, holding the candidates' proposals: the oldest key
//    is the leader.
//
// Like etcd's Go client (whose calls wait for a connection), the recipes keep retrying while no
// endpoint answers, until the calling task is cancelled.

/// Errors of the concurrency recipes, with etcd's Go texts.
public enum EtcdConcurrencyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `tryLock`: another session holds the lock.
    case locked
    /// The session's lease was gone when the lock was acquired.
    case sessionExpired
    /// A proclamation from a candidate that is not (or no longer) the leader.
    case notLeader
    /// No candidate is campaigning.
    case noLeader
    /// The watch waiting for a key's deletion ended without seeing it.
    case lostWatcher

    public var description: String {
        switch self {
        case .locked: "mutex: Locked by another session"
        case .sessionExpired: "mutex: session is expired"
        case .notLeader: "election: not leader"
        case .noLeader: "election: no leader"
        case .lostWatcher: "lost watcher waiting for delete"
        }
    }
}

/// Key formatting as the Go recipes do it.
public enum EtcdConcurrencyKeys {
    /// Go's `%x` of a lease ID (an int64): lower-case hex without leading zeros, `-` for negatives.
    public static func hex(_ id: Int64) -> String {
        id < 0 ? "-" + String(id.magnitude, radix: 16) : String(id, radix: 16)
    }

    /// The key a session's lease owns under `prefix` (which ends with `/`): `prefix + hex(lease)`.
    public static func key(prefix: [UInt8], lease: Int64) -> [UInt8] {
        prefix + Array(hex(lease).utf8)
    }

    /// `Go strings.Replace(key, old, new, 1)`: the first occurrence of `old` replaced by `new`
    /// (an empty `old` matches at the start). make-mirror maps keys this way.
    public static func replacingFirst(_ old: [UInt8], with new: [UInt8], in key: [UInt8]) -> [UInt8] {
        if old.isEmpty { return new + key }
        guard key.count >= old.count else { return key }
        for start in 0...(key.count - old.count) where key[start..<(start + old.count)].elementsEqual(old) {
            return Array(key[..<start]) + new + Array(key[(start + old.count)...])
        }
        return key
    }
}

extension EtcdClient {
    /// Runs `body`, retrying every 250 ms while no endpoint answers (as etcd's Go client waits for
    /// a connection) until the task is cancelled.
    func waitingForConnection<R>(_ body: () async throws -> R) async throws -> R {
        while true {
            do {
                return try await body()
            } catch let error as EtcdClientError where error.isUnavailable {
                try await Task.sleep(for: .milliseconds(250))
            } catch {
                if Task.isCancelled { throw CancellationError() }
                throw error
            }
        }
    }

    /// Watches `key` (or `[key, end)`) from `revision`, handing each batch with events to
    /// `handle` until it returns true (then returns true). Reconnects while no endpoint answers,
    /// resuming after the last event seen (as etcd's Go watcher does). Returns false when the
    /// watch ends otherwise; throws `CancellationError` when the task is cancelled.
    func watchUntil(key: [UInt8], end: [UInt8]? = nil, from revision: Int64,
                    _ handle: (EtcdWatchBatch) async throws -> Bool) async throws -> Bool {
        var next = revision
        while true {
            do {
                for try await batch in watch(key: key, end: end, startRevision: next) where !batch.events.isEmpty {
                    if let last = batch.events.last { next = last.kv.modRevision + 1 }
                    if try await handle(batch) { return true }
                }
            } catch let error as EtcdClientError where error.isUnavailable {
                try await Task.sleep(for: .milliseconds(250))
                continue
            } catch {
                if Task.isCancelled { throw CancellationError() }
                throw error
            }
            if Task.isCancelled { throw CancellationError() }
            return false
        }
    }

    /// Waits until `key` is deleted at or after `revision` (Go: `waitDelete`).
    func waitDelete(key: [UInt8], from revision: Int64) async throws {
        let seen = try await watchUntil(key: key, from: revision) { batch in
            batch.events.contains { $0.type == .delete }
        }
        if !seen { throw EtcdConcurrencyError.lostWatcher }
    }

    /// Waits until every key under `prefix` created at or before `maxCreateRevision` is gone
    /// (Go: `waitDeletes`): the newest of them first, then the next, and so on.
    @discardableResult
    func waitDeletes(prefix: [UInt8], maxCreateRevision: Int64) async throws -> EtcdResponseHeader {
        while true {
            let r = try await waitingForConnection {
                try await range(key: prefix, end: EtcdKeys.prefixEnd(of: prefix), limit: 1,
                                sortOrder: .descend, sortTarget: .create, maxCreateRevision: maxCreateRevision)
            }
            guard let last = r.kvs.first else { return r.header }
            try await waitDelete(key: last.key, from: r.header.revision)
        }
    }

    /// The oldest key under `prefix` (Go: `Get(prefix, WithFirstCreate()...)`).
    func firstCreated(prefix: [UInt8]) async throws -> EtcdRangeResult {
        try await waitingForConnection {
            try await range(key: prefix, end: EtcdKeys.prefixEnd(of: prefix), limit: 1, sortOrder: .ascend, sortTarget: .create)
        }
    }

    /// A transaction on wire messages (for operations ``EtcdOp`` cannot express, such as a
    /// sorted range), retried while no endpoint answers.
    func rawTxn(_ request: Etcdserverpb_TxnRequest) async throws -> Etcdserverpb_TxnResponse {
        try await waitingForConnection {
            try await rpc(request)
        }
    }
}

// MARK: - Session

/// A lease kept alive for as long as the session lives (Go: `concurrency.Session`).
///
/// The lease is renewed as etcd's Go client renews it (at once, then a third of the TTL after
/// each answer); the session is *done* when the lease is gone (revoked or expired) or when no
/// renewal succeeded for a whole TTL, and after ``orphan()`` or ``close()``.
public final class EtcdSession: Sendable {
    /// The TTL of a session whose TTL is not given (or not positive), in seconds.
    public static let defaultTTL: Int64 = 60

    public let client: EtcdClient
    /// The session's lease: keys written with it vanish when the lease ends (revoked or expired).
    public let leaseID: Int64
    /// The lease's TTL in seconds.
    public let ttl: Int64

    private struct State {
        var done = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
        /// When the lease expires unless renewed.
        var deadline: ContinuousClock.Instant
    }

    private let state: Mutex<State>
    private let keeper = Mutex<Task<Void, Never>?>(nil)

    /// Starts a session: grants a lease of `ttl` seconds (or adopts `leaseID`) and keeps it alive.
    public static func start(client: EtcdClient, ttl: Int64 = defaultTTL, leaseID: Int64 = 0) async throws -> EtcdSession {
        let ttl = ttl > 0 ? ttl : defaultTTL
        var id = leaseID
        if id == 0 {
            id = try await client.waitingForConnection { try await client.leaseGrant(ttl: ttl) }.id
        }
        let session = EtcdSession(client: client, leaseID: id, ttl: ttl)
        session.startKeepAlive()
        return session
    }

    private init(client: EtcdClient, leaseID: Int64, ttl: Int64) {
        self.client = client
        self.leaseID = leaseID
        self.ttl = ttl
        state = Mutex(State(deadline: .now + .seconds(ttl)))
    }

    private func startKeepAlive() {
        let task = Task { [self] in
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.renew() }
                group.addTask { await self.watchDeadline() }
                await group.next()
                group.cancelAll()
            }
            finish()
        }
        keeper.withLock { $0 = task }
    }

    /// Renews the lease until etcd reports it gone; reconnects after errors.
    private func renew() async {
        while !Task.isCancelled {
            do {
                for try await answer in client.leaseKeepAlive(id: leaseID) {
                    state.withLock { $0.deadline = .now + .seconds(answer.ttl) }
                }
                return  // etcd answered with TTL ≤ 0: the lease is gone
            } catch {
                if Task.isCancelled { return }
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// Returns once a whole TTL passed without a successful renewal.
    private func watchDeadline() async {
        while !Task.isCancelled {
            let deadline = state.withLock { $0.deadline }
            if ContinuousClock.now >= deadline { return }
            try? await Task.sleep(until: min(deadline, .now + .milliseconds(500)), clock: .continuous)
        }
    }

    private func finish() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.done = true
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// Whether the lease is no longer kept alive.
    public var isDone: Bool { state.withLock { $0.done } }

    /// Returns when the session is done (or the calling task is cancelled).
    public func waitUntilDone() async {
        let id = state.withLock { s -> UInt64 in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.done || Task.isCancelled { return true }
                    s.waiters[id] = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            let c = state.withLock { $0.waiters.removeValue(forKey: id) }
            c?.resume()
        }
    }

    /// Stops renewing the lease, leaving it to expire (Go: `Orphan`).
    public func orphan() async {
        let task = keeper.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    /// Stops renewing the lease and revokes it, deleting the keys attached to it (Go: `Close`).
    public func close() async throws {
        await orphan()
        try await client.leaseRevoke(id: leaseID)
    }
}

// MARK: - Recipes

/// A concurrency recipe (lock, election) of one session, keeping its keys under `NAME/`.
public protocol EtcdSessionRecipe: Sendable {
    /// The recipe named `name` (raw bytes) for `session`.
    init(session: EtcdSession, name: [UInt8])
}

extension EtcdSessionRecipe {
    /// The recipe named `name` (UTF-8) for `session`.
    public init(session: EtcdSession, name: String) {
        self.init(session: session, name: Array(name.utf8))
    }
}

// MARK: - Mutex

/// A distributed lock (Go: `concurrency.Mutex`): the key `NAME/<lease hex>` of the oldest waiter
/// holds it.
public final class EtcdMutex: EtcdSessionRecipe {
    public let session: EtcdSession
    /// `NAME/`: where the waiters' keys live.
    public let prefix: [UInt8]

    private struct State {
        var key: [UInt8] = []
        var revision: Int64 = -1
        var header: EtcdResponseHeader?
    }

    private let state = Mutex(State())

    public init(session: EtcdSession, name: [UInt8]) {
        self.session = session
        prefix = name + Array("/".utf8)
    }

    /// This waiter's key (`NAME/<lease hex>`; empty before locking, `[0]` after unlocking).
    public var key: [UInt8] { state.withLock { $0.key } }
    /// The create revision of this waiter's key (-1 when it has none).
    public var revision: Int64 { state.withLock { $0.revision } }
    /// The header of the answer that gave this waiter the lock.
    public var header: EtcdResponseHeader? { state.withLock { $0.header } }

    /// A compare that holds while this waiter owns the lock (for transactions made under it).
    public var isOwner: EtcdCompare {
        let (key, rev) = state.withLock { ($0.key, $0.revision) }
        return EtcdCompare(key: key, .equal, .createRevision(rev))
    }

    private var client: EtcdClient { session.client }

    /// Puts this waiter's key (unless the session already has it) and reads the oldest key, in one
    /// transaction. Returns the answer and whether this waiter's key is the oldest.
    private func tryAcquire() async throws -> (Etcdserverpb_TxnResponse, owns: Bool) {
        let key = EtcdConcurrencyKeys.key(prefix: prefix, lease: session.leaseID)
        state.withLock { $0.key = key }

        var compare = Etcdserverpb_Compare()
        compare.key = Data(key)
        compare.target = .create
        compare.result = .equal
        compare.targetUnion = .createRevision(0)

        var put = Etcdserverpb_RequestOp()
        put.request = .requestPut(EtcdOp.putRequest(key: key, value: [], lease: session.leaseID, prevKV: false))
        var get = Etcdserverpb_RequestOp()
        var getRange = Etcdserverpb_RangeRequest()
        getRange.key = Data(key)
        get.request = .requestRange(getRange)
        var owner = Etcdserverpb_RequestOp()
        var ownerRange = Etcdserverpb_RangeRequest()
        ownerRange.key = Data(prefix)
        ownerRange.rangeEnd = Data(EtcdKeys.prefixEnd(of: prefix))
        ownerRange.limit = 1
        ownerRange.sortOrder = .ascend
        ownerRange.sortTarget = .create
        owner.request = .requestRange(ownerRange)

        var request = Etcdserverpb_TxnRequest()
        request.compare = [compare]
        request.success = [put, owner]
        request.failure = [get, owner]
        let r = try await client.rawTxn(request)
        var rev = r.header.revision
        if !r.succeeded, case .responseRange(let mine)? = r.responses.first?.response, let kv = mine.kvs.first {
            rev = kv.createRevision
        }
        state.withLock { $0.revision = rev }
        var ownerKVs: [Mvccpb_KeyValue] = []
        if r.responses.count > 1, case .responseRange(let o)? = r.responses[1].response { ownerKVs = o.kvs }
        return (r, ownerKVs.isEmpty || ownerKVs[0].createRevision == rev)
    }

    /// Takes the lock if nobody holds it; else removes this waiter's key and throws
    /// ``EtcdConcurrencyError/locked``.
    public func tryLock() async throws {
        let (r, owns) = try await tryAcquire()
        if owns {
            state.withLock { $0.header = EtcdResponseHeader(r.header) }
            return
        }
        _ = try await client.waitingForConnection { try await client.delete(key: key) }
        state.withLock {
            $0.key = [0]
            $0.revision = -1
        }
        throw EtcdConcurrencyError.locked
    }

    /// Waits for the lock. When the task is cancelled (or waiting fails) meanwhile, the waiter's
    /// key is removed and the error (`CancellationError`) thrown; when the session's lease was lost
    /// while waiting, throws ``EtcdConcurrencyError/sessionExpired``.
    public func lock() async throws {
        let (r, owns) = try await tryAcquire()
        if owns {
            state.withLock { $0.header = EtcdResponseHeader(r.header) }
            return
        }
        do {
            try await client.waitDeletes(prefix: prefix, maxCreateRevision: revision - 1)
        } catch {
            await cleanUp()
            throw error
        }
        // Make sure the session is not expired and the key still exists.
        let mine: EtcdRangeResult
        do {
            let key = self.key
            mine = try await client.waitingForConnection { try await client.range(key: key) }
        } catch {
            await cleanUp()
            throw error
        }
        guard !mine.kvs.isEmpty else { throw EtcdConcurrencyError.sessionExpired }
        state.withLock { $0.header = mine.header }
    }

    /// Unlocks from a task of its own, so that a cancelled caller still removes its key.
    private func cleanUp() async {
        await Task.detached { [self] in try? await self.unlock() }.value
    }

    /// Releases the lock (or gives up waiting): deletes this waiter's key.
    public func unlock() async throws {
        let key = self.key
        _ = try await client.waitingForConnection { try await client.delete(key: key) }
        state.withLock {
            $0.key = [0]
            $0.revision = -1
        }
    }
}

// MARK: - Election

/// A leader election (Go: `concurrency.Election`): candidates put their proposal under
/// `NAME/<lease hex>`; the oldest key is the leader's.
public final class EtcdElection: EtcdSessionRecipe {
    public let session: EtcdSession
    /// `NAME/`: where the candidates' keys live.
    public let prefix: [UInt8]

    private struct State {
        var leaderKey: [UInt8] = []
        var leaderRevision: Int64 = 0
        var isCandidate = false
        var header: EtcdResponseHeader?
    }

    private let state = Mutex(State())

    public init(session: EtcdSession, name: [UInt8]) {
        self.session = session
        prefix = name + Array("/".utf8)
    }

    /// This candidate's key once elected (empty otherwise).
    public var key: [UInt8] { state.withLock { $0.leaderKey } }
    /// The create revision of this candidate's key.
    public var revision: Int64 { state.withLock { $0.leaderRevision } }
    /// The header of the last successful campaign, proclamation or resignation.
    public var header: EtcdResponseHeader? { state.withLock { $0.header } }

    private var client: EtcdClient { session.client }

    /// Puts `value` as this session's proposal and waits until it is the leader's (every older
    /// candidate gone). Cancelled while waiting, it resigns and throws `CancellationError`.
    public func campaign(_ value: [UInt8]) async throws {
        let key = EtcdConcurrencyKeys.key(prefix: prefix, lease: session.leaseID)
        let lease = session.leaseID
        let r = try await client.waitingForConnection {
            try await client.txn(compares: [.absent(key)], success: [.put(key: key, value: value, lease: lease)],
                                 failure: [.range(key: key)])
        }
        state.withLock { s in
            s.leaderKey = key
            s.leaderRevision = r.header.revision
            s.isCandidate = true
        }
        if !r.succeeded, case .range(let mine)? = r.responses.first, let kv = mine.kvs.first {
            state.withLock { $0.leaderRevision = kv.createRevision }
            if kv.value != value {
                do {
                    try await proclaim(value)
                } catch {
                    try? await resign()
                    throw error
                }
            }
        }
        do {
            try await client.waitDeletes(prefix: prefix, maxCreateRevision: revision - 1)
        } catch {
            if Task.isCancelled || error is CancellationError {
                await Task.detached { [self] in try? await self.resign() }.value
            } else {
                state.withLock { $0.isCandidate = false }
            }
            throw error
        }
        state.withLock { $0.header = r.header }
    }

    /// Replaces the leader's value without a new election; throws
    /// ``EtcdConcurrencyError/notLeader`` when this candidate is not the leader.
    public func proclaim(_ value: [UInt8]) async throws {
        let (candidate, key, rev) = state.withLock { ($0.isCandidate, $0.leaderKey, $0.leaderRevision) }
        guard candidate else { throw EtcdConcurrencyError.notLeader }
        let lease = session.leaseID
        let r = try await client.waitingForConnection {
            try await client.txn(compares: [EtcdCompare(key: key, .equal, .createRevision(rev))],
                                 success: [.put(key: key, value: value, lease: lease)])
        }
        guard r.succeeded else {
            state.withLock { $0.leaderKey = [] }
            throw EtcdConcurrencyError.notLeader
        }
        state.withLock { $0.header = r.header }
    }

    /// Gives up leadership (or candidacy): deletes this candidate's key if it is still its own.
    public func resign() async throws {
        let (candidate, key, rev) = state.withLock { ($0.isCandidate, $0.leaderKey, $0.leaderRevision) }
        guard candidate else { return }
        defer {
            state.withLock { s in
                s.leaderKey = []
                s.isCandidate = false
            }
        }
        let r = try await client.waitingForConnection {
            try await client.txn(compares: [EtcdCompare(key: key, .equal, .createRevision(rev))], success: [.delete(key: key)])
        }
        state.withLock { $0.header = r.header }
    }

    /// The current leader's key and proposal; throws ``EtcdConcurrencyError/noLeader`` when there is none.
    public func leader() async throws -> EtcdRangeResult {
        let r = try await client.firstCreated(prefix: prefix)
        if r.kvs.isEmpty { throw EtcdConcurrencyError.noLeader }
        return r
    }

    /// The leader's key and value each time either changes (Go: `Observe`): the current leader
    /// first (or, with none, the first to come), then its new proclamations, then the next leader
    /// once its key is deleted, and so on. Each answer holds one key and the header it came with.
    /// The stream ends when a call fails or the consuming task stops.
    public func observe() -> AsyncStream<EtcdRangeResult> {
        let (stream, continuation) = AsyncStream<EtcdRangeResult>.makeStream()
        let task = Task { [client, prefix] in
            defer { continuation.finish() }
            do {
                while !Task.isCancelled {
                    let r = try await client.firstCreated(prefix: prefix)
                    var header = r.header
                    var leader: EtcdKeyValue? = r.kvs.first
                    if leader == nil {
                        // Wait for the first key put under the prefix (a delete would make this spin).
                        let end = EtcdKeys.prefixEnd(of: prefix)
                        _ = try await client.watchUntil(key: prefix, end: end, from: r.header.revision) { batch in
                            guard let put = batch.events.first(where: { $0.type == .put }) else { return false }
                            header = batch.header
                            header.revision = put.kv.modRevision
                            leader = put.kv
                            return true
                        }
                    }
                    guard let kv = leader else { return }
                    continuation.yield(EtcdRangeResult(header: header, kvs: [kv], more: false, count: 0))
                    // Follow the leader's key until it is deleted.
                    let deleted = try await client.watchUntil(key: kv.key, from: header.revision + 1) { batch in
                        for event in batch.events {
                            if event.type == .delete { return true }
                            continuation.yield(EtcdRangeResult(header: batch.header, kvs: [event.kv], more: false, count: 0))
                        }
                        return false
                    }
                    if !deleted { return }
                }
            } catch {
                return
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
