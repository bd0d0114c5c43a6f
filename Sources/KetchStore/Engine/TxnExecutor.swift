import Foundation

/// Runs one request against the state as one revision: all its changes share `beginRevision + 1`,
/// sub-revisions order them, and reads inside it see its own earlier changes (etcd's `storeTxnWrite`).
///
/// Callers hold the state lock. A read-only executor at the committed revision serves read-only
/// txns without the writer.
final class TxnExecutor {
    private let state: MVCCState
    private let storage: any StorageEngine
    private let reader: RangeReader
    /// The store's revision before this request.
    let beginRevision: Int64
    private(set) var changes: [StoredChange] = []
    /// Keys this request changed, for dropping superseded values after commit.
    private(set) var touched: [KeyHistory] = []
    /// The changes as watchers see them, in sub-revision order.
    private(set) var events: [ChangeEvent] = []
    /// A value this request needed could not be read from storage. Memory may then hold a
    /// half-applied request, so the writer must fail it and stop, as for a failed commit.
    private(set) var storageFailure: StoreError?

    init(state: MVCCState, storage: any StorageEngine, beginRevision: Int64) {
        self.state = state
        self.storage = storage
        self.reader = RangeReader(index: state.index, storage: storage)
        self.beginRevision = beginRevision
    }

    /// The revision reads inside the request see and report.
    var revision: Int64 { changes.isEmpty ? beginRevision : beginRevision + 1 }

    private var writeRevision: Revision { Revision(main: beginRevision + 1, sub: Int64(changes.count)) }

    // MARK: Requests

    func range(_ r: RangeRequest) throws -> RangeResponse {
        try reader.read(r, current: revision, compacted: state.compactRevision)
    }

    func put(_ r: PutRequest) throws -> PutResponse {
        try checkPut(r)
        return applyPut(r)
    }

    func deleteRange(_ r: DeleteRangeRequest) -> DeleteRangeResponse {
        var deleted: Int64 = 0
        var prev: [KeyValue] = []
        var victims: [KeyHistory] = []
        state.index.forEach(key: r.key, end: r.rangeEnd) { h in
            if h.live(at: revision) != nil { victims.append(h) }
            return true
        }
        for h in victims {
            let last = h.latest!
            let before = reader.kv(key: h.key, entry: last, value: value(of: last, in: h))
            if r.prevKV { prev.append(before) }
            let rev = writeRevision
            events.append(ChangeEvent(
                kind: .delete,
                kv: KeyValue(key: h.key, value: Data(), createRevision: 0, modRevision: rev.main, version: 0, lease: 0),
                prevKV: before))
            detachLease(of: h.key, from: last.lease)
            h.append(.init(revision: rev, createRevision: 0, version: 0, lease: 0, isTombstone: true, value: Data()))
            changes.append(StoredChange(revision: rev, key: h.key, value: Data(), createRevision: 0, version: 0, lease: 0, isTombstone: true))
            touched.append(h)
            deleted += 1
        }
        let rev = (deleted != 0 || !changes.isEmpty) ? beginRevision + 1 : beginRevision
        return DeleteRangeResponse(revision: rev, deleted: deleted, prevKVs: prev)
    }

    /// etcd's txn: every compare (also of nested txns on the chosen path) is decided against the
    /// state before the txn, then the checks, then the operations.
    func txn(_ r: TxnRequest) throws -> TxnResponse {
        var path: [Bool] = []
        decidePath(r, into: &path)
        var cursor = 0
        try check(r, path: path, cursor: &cursor)
        cursor = 0
        var response = apply(r, path: path, cursor: &cursor)
        response.revision = revision
        return response
    }

    // MARK: Txn parts

    private func decidePath(_ r: TxnRequest, into path: inout [Bool]) {
        let ok = r.compare.allSatisfy(holds)
        path.append(ok)
        for case .txn(let nested) in ok ? r.success : r.failure {
            decidePath(nested, into: &path)
        }
    }

    private func check(_ r: TxnRequest, path: [Bool], cursor: inout Int) throws {
        let ops = path[cursor] ? r.success : r.failure
        cursor += 1
        for op in ops {
            switch op {
            case .put(let p): try checkPut(p)
            case .range(let range):
                if range.revision != 0 {
                    if range.revision > beginRevision { throw StoreError.futureRevision }
                    if range.revision < state.compactRevision { throw StoreError.compacted }
                }
            case .txn(let nested): try check(nested, path: path, cursor: &cursor)
            case .deleteRange, .empty: break
            }
        }
    }

    private func apply(_ r: TxnRequest, path: [Bool], cursor: inout Int) -> TxnResponse {
        let succeeded = path[cursor]
        cursor += 1
        var responses: [ResponseOp] = []
        for op in succeeded ? r.success : r.failure {
            switch op {
            case .range(let range):
                // Checked above; a failure here would mean the index changed under the lock.
                responses.append(.range((try? self.range(range)) ?? RangeResponse(revision: revision, kvs: [], more: false, count: 0)))
            case .put(let p): responses.append(.put(applyPut(p)))
            case .deleteRange(let d): responses.append(.deleteRange(deleteRange(d)))
            case .txn(let nested):
                // etcd leaves a nested txn's header empty (revision 0).
                var inner = apply(nested, path: path, cursor: &cursor)
                inner.revision = 0
                responses.append(.txn(inner))
            case .empty: break
            }
        }
        return TxnResponse(revision: revision, succeeded: succeeded, responses: responses)
    }

    /// etcd's `applyCompare`: a compare on a range holds only if it holds for every key; a missing
    /// key compares as zeros, except that a value compare on it always fails.
    private func holds(_ c: Compare) -> Bool {
        var found = false
        var ok = true
        state.index.forEach(key: c.key, end: c.rangeEnd) { h in
            guard let e = h.live(at: revision) else { return true }
            found = true
            var value: Data?
            if case .value = c.target { value = self.value(of: e, in: h) }
            ok = Self.compare(c, entry: e, value: value)
            return ok
        }
        if !found {
            if case .value = c.target { return false }
            return Self.compare(c, entry: nil, value: nil)
        }
        return ok
    }

    private static func compare(_ c: Compare, entry e: KeyHistory.Entry?, value: Data?) -> Bool {
        let order: Int
        func cmp(_ a: Int64, _ b: Int64) -> Int { a == b ? 0 : (a < b ? -1 : 1) }
        switch c.target {
        case .version(let v): order = cmp(e?.version ?? 0, v)
        case .createRevision(let v): order = cmp(e?.createRevision ?? 0, v)
        case .modRevision(let v): order = cmp(e?.revision.main ?? 0, v)
        case .lease(let v): order = cmp(e?.lease ?? 0, v)
        case .value(let v): order = compareBytes(value ?? Data(), v)
        case .unrecognized: order = 0
        }
        switch c.result {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .greater: return order > 0
        case .less: return order < 0
        case .unrecognized: return true
        }
    }

    // MARK: Leases

    private func detachLease(of key: Data, from lease: Int64) {
        if lease != 0 { state.leases[lease]?.keys.remove(key) }
    }

    /// Deletes every key attached to `lease` and forgets the lease, all in this revision.
    func revokeLease(_ lease: Int64) throws -> Int64 {
        guard let attached = state.leases[lease] else { throw StoreError.leaseNotFound }
        for key in attached.keys.sorted(by: { compareBytes($0, $1) < 0 }) {
            _ = deleteRange(DeleteRangeRequest(key: key))
        }
        state.leases[lease] = nil
        return revision
    }

    // MARK: Put

    private func checkPut(_ r: PutRequest) throws {
        if r.ignoreValue || r.ignoreLease {
            guard state.index.history(r.key)?.live(at: revision) != nil else { throw StoreError.keyNotFound }
        }
        if r.lease != 0 && state.leases[r.lease] == nil { throw StoreError.leaseNotFound }
    }

    private func applyPut(_ r: PutRequest) -> PutResponse {
        let h = state.index.historyCreating(r.key)
        let prev = h.live(at: revision)
        let previousValue = prev.map { self.value(of: $0, in: h) }
        let rev = writeRevision
        let value = r.ignoreValue ? (previousValue ?? Data()) : r.value
        let lease = r.ignoreLease ? (prev?.lease ?? 0) : r.lease
        let entry = KeyHistory.Entry(
            revision: rev, createRevision: prev?.createRevision ?? rev.main, version: (prev?.version ?? 0) + 1,
            lease: lease, isTombstone: false, value: value)
        h.append(entry)
        changes.append(StoredChange(
            revision: rev, key: r.key, value: value, createRevision: entry.createRevision,
            version: entry.version, lease: lease, isTombstone: false))
        touched.append(h)
        let before = prev.map { reader.kv(key: r.key, entry: $0, value: previousValue ?? Data()) }
        events.append(ChangeEvent(kind: .put, kv: reader.kv(key: r.key, entry: entry, value: value), prevKV: before))
        if let old = prev?.lease, old != lease { detachLease(of: r.key, from: old) }
        if lease != 0 { state.leases[lease]?.keys.insert(r.key) }
        return PutResponse(revision: rev.main, prevKV: r.prevKV ? before : nil)
    }

    // MARK: Values

    /// `e`'s value, from memory or, the first time after a restart, from storage.
    private func value(of e: KeyHistory.Entry, in h: KeyHistory) -> Data {
        if let value = e.value { return value }
        if e.isTombstone { return Data() }
        do {
            guard let value = try storage.values(at: [e.revision])[e.revision] else {
                throw StoreError.storageFailure("the value of revision \(e.revision) is missing from storage")
            }
            h.cacheValue(value, for: e.revision)
            return value
        } catch {
            storageFailure = storageFailure ?? ((error as? StoreError) ?? .storageFailure("\(error)"))
            return Data()
        }
    }
}
