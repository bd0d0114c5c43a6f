import Foundation

/// Events for one watcher, pulled at its own pace.
public struct WatchBatch: Sendable {
    /// Matching events, in revision order; all events of a revision come together.
    public var events: [ChangeEvent]
    /// Everything up to this revision has been looked at; pull again from `through + 1`.
    public var through: Int64
    /// The store's newest durable revision when the batch was read.
    public var currentRevision: Int64
}

extension MVCCStore {
    /// The changes to keys in `[key, end)` with revision ≥ `from`, at most `maxRevisions`
    /// revisions' worth, up to the newest durable revision.
    ///
    /// Served from the recent-events ring when it reaches back far enough, otherwise from the key
    /// index and storage (history that compaction has not removed). Throws `compacted` when
    /// `from` is below the compaction floor.
    public func watchEvents(key: Data, end: RangeEnd, from: Int64, maxRevisions: Int = 1000) throws -> WatchBatch {
        try state.withLock {
            let current = state.committedRevision
            if from > current {
                return WatchBatch(events: [], through: from - 1, currentRevision: current)
            }
            if from < state.compactRevision { throw StoreError.compacted }
            let matcher = KeyMatcher(key: key, end: end)
            if let hit = state.recentEvents.events(from: from, maxRevisions: maxRevisions, include: { matcher.matches($0.kv.key) }) {
                return WatchBatch(events: hit.events, through: hit.truncatedAt ?? current, currentRevision: current)
            }
            return try historyEvents(key: key, end: end, from: from, through: current, maxRevisions: maxRevisions)
        }
    }

    /// Rebuilds events from the index for a watcher older than the ring (caller holds the lock).
    private func historyEvents(key: Data, end: RangeEnd, from: Int64, through current: Int64, maxRevisions: Int) throws -> WatchBatch {
        var found: [(revision: Revision, key: Data, entry: KeyHistory.Entry, previous: KeyHistory.Entry?)] = []
        state.index.forEach(key: key, end: end) { h in
            var previous: KeyHistory.Entry?
            for e in h.entries {
                if e.revision.main >= from && e.revision.main <= current {
                    found.append((e.revision, h.key, e, previous))
                }
                previous = e
            }
            return true
        }
        found.sort { $0.revision < $1.revision }
        var revisions = 0
        var last: Int64?
        var cut = found.count
        for (i, item) in found.enumerated() where item.revision.main != last {
            if revisions == maxRevisions {
                cut = i
                break
            }
            revisions += 1
            last = item.revision.main
        }
        let through = cut < found.count ? found[cut - 1].revision.main : current
        found.removeSubrange(cut...)

        let reader = RangeReader(index: state.index, storage: storage)
        var missing: [Revision] = []
        for item in found {
            if item.entry.value == nil && !item.entry.isTombstone { missing.append(item.entry.revision) }
            if let p = item.previous, !p.isTombstone, p.value == nil { missing.append(p.revision) }
        }
        let fetched = missing.isEmpty ? [:] : try storage.values(at: missing)
        func value(_ e: KeyHistory.Entry) -> Data { e.value ?? fetched[e.revision] ?? Data() }
        let events = found.map { item -> ChangeEvent in
            let prev = item.previous.flatMap { $0.isTombstone ? nil : reader.kv(key: item.key, entry: $0, value: value($0)) }
            if item.entry.isTombstone {
                return ChangeEvent(
                    kind: .delete,
                    kv: KeyValue(key: item.key, value: Data(), createRevision: 0, modRevision: item.revision.main, version: 0, lease: 0),
                    prevKV: prev)
            }
            return ChangeEvent(kind: .put, kv: reader.kv(key: item.key, entry: item.entry, value: value(item.entry)), prevKV: prev)
        }
        return WatchBatch(events: events, through: through, currentRevision: current)
    }

    /// Suspends until a revision above `revision` is durable (or the task is cancelled).
    public func waitForCommit(after revision: Int64) async {
        await writer.commits.wait(after: revision)
    }

    /// Calls `wake` once, as soon as a revision above `revision` is durable (at once when one
    /// already is), on the committing thread: it should only hand over, not work.
    public func onCommit(after revision: Int64, _ wake: @escaping @Sendable () -> Void) -> CommitSubscription {
        CommitSubscription(signal: writer.commits, id: writer.commits.notify(after: revision, wake))
    }
}

/// A pending `onCommit` call, which `cancel` withdraws.
public struct CommitSubscription: Sendable {
    fileprivate let signal: CommitSignal
    fileprivate let id: UInt64?

    /// Withdraws the call if it has not happened; it then never happens.
    public func cancel() {
        if let id { signal.cancel(id) }
    }
}

/// Whether a key falls in a watched range.
struct KeyMatcher {
    let key: Data
    let end: RangeEnd

    func matches(_ candidate: Data) -> Bool {
        switch end {
        case .single: return candidate == key
        case .fromKey: return compareBytes(candidate, key) >= 0
        case .before(let endKey): return compareBytes(candidate, key) >= 0 && compareBytes(candidate, endKey) < 0
        }
    }
}
