/// The newest committed changes in revision order, bounded by count and by value bytes.
///
/// Live watchers read new events here instead of walking the key index; a watcher that fell
/// behind the ring's start catches up from the index and storage, as etcd's unsynced watchers do.
struct EventRing {
    private var events: [ChangeEvent] = []
    private var head = 0
    private var bytes = 0
    let maxEvents: Int
    let maxBytes: Int
    /// Every event with a revision at or above this is held (the revision after the last dropped one).
    private(set) var firstCovered: Int64

    init(startingAfter revision: Int64, maxEvents: Int = 65_536, maxBytes: Int = 64 << 20) {
        self.maxEvents = maxEvents
        self.maxBytes = maxBytes
        firstCovered = revision + 1
    }

    private static func size(_ e: ChangeEvent) -> Int {
        e.kv.key.count + e.kv.value.count + (e.prevKV?.value.count ?? 0) + 64
    }

    /// Appends the events of newly committed revisions.
    mutating func append(_ new: [ChangeEvent]) {
        for e in new {
            events.append(e)
            bytes += Self.size(e)
        }
        // Drop whole revisions from the front, so a covered revision is always complete.
        while (events.count - head > maxEvents || bytes > maxBytes) && head < events.count {
            let revision = events[head].kv.modRevision
            while head < events.count && events[head].kv.modRevision == revision {
                bytes -= Self.size(events[head])
                head += 1
            }
            firstCovered = revision + 1
        }
        if head > 4096 && head * 2 > events.count {
            events.removeFirst(head)
            head = 0
        }
    }

    /// Events with revision ≥ `from` passing `include`, scanning at most `maxRevisions` distinct
    /// revisions; `truncatedAt` is the last revision scanned when it stopped before the end.
    /// Returns nil when `from` is older than what the ring holds.
    func events(from: Int64, maxRevisions: Int, include: (ChangeEvent) -> Bool) -> (events: [ChangeEvent], truncatedAt: Int64?)? {
        guard from >= firstCovered else { return nil }
        // Binary search the first event at or after `from`.
        var low = head
        var high = events.count
        while low < high {
            let mid = (low + high) / 2
            if events[mid].kv.modRevision < from { low = mid + 1 } else { high = mid }
        }
        var out: [ChangeEvent] = []
        var revisions = 0
        var last: Int64?
        var i = low
        while i < events.count {
            let revision = events[i].kv.modRevision
            if revision != last {
                if revisions == maxRevisions { return (out, last) }
                revisions += 1
                last = revision
            }
            if include(events[i]) { out.append(events[i]) }
            i += 1
        }
        return (out, nil)
    }
}
