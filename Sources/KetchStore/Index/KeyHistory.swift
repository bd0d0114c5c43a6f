import Foundation

/// Every kept change of one key, oldest first: puts and tombstones, across generations.
///
/// Values ride along in memory only while they can be the answer to a current read; older
/// ones are dropped (`value == nil`) and fetched from storage when a historical read asks.
final class KeyHistory {
    struct Entry {
        var revision: Revision
        var createRevision: Int64
        var version: Int64
        var lease: Int64
        var isTombstone: Bool
        /// nil once superseded and committed, or not yet read after a restart: then only
        /// storage holds it.
        var value: Data?
    }

    let key: Data
    private(set) var entries: [Entry] = []

    init(key: Data) {
        self.key = key
    }

    var latest: Entry? { entries.last }

    /// The entry a read at `revision` sees: the newest one at or below it.
    func entry(at revision: Int64) -> Entry? {
        // Reads are nearly always at or near the newest revision, so walk from the end.
        var i = entries.count - 1
        while i >= 0 {
            if entries[i].revision.main <= revision { return entries[i] }
            i -= 1
        }
        return nil
    }

    /// The live (non-tombstone) entry at `revision`, if the key exists then.
    func live(at revision: Int64) -> Entry? {
        guard let e = entry(at: revision), !e.isTombstone else { return nil }
        return e
    }

    func append(_ entry: Entry) {
        entries.append(entry)
    }

    /// Keeps `value`, read from storage, in memory if it belongs to the newest entry (the one
    /// current reads see); an older one's value would only be dropped again.
    func cacheValue(_ value: Data, for revision: Revision) {
        guard let last = entries.indices.last, entries[last].revision == revision, entries[last].value == nil else { return }
        entries[last].value = value
    }

    /// Forgets in-memory values of entries older than the newest one: storage holds them.
    func dropSupersededValues(upTo revision: Int64) {
        guard entries.count > 1 else { return }
        for i in 0..<(entries.count - 1) where entries[i].value != nil {
            // Keep the value while a read at `revision` (the committed one) could still see it.
            if entries[i + 1].revision.main <= revision {
                entries[i].value = nil
            }
        }
    }

    /// Applies compaction at `revision`: keeps the entry visible at it (unless a tombstone) and
    /// everything newer. Returns the revisions removed.
    func compact(at revision: Int64) -> [Revision] {
        guard let keep = entries.lastIndex(where: { $0.revision.main <= revision }) else { return [] }
        let drop = entries[keep].isTombstone ? keep + 1 : keep
        guard drop > 0 else { return [] }
        let removed = entries[0..<drop].map(\.revision)
        entries.removeFirst(drop)
        return removed
    }

    var isEmpty: Bool { entries.isEmpty }
}
