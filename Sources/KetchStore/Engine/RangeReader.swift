import Foundation

/// etcd's range semantics over the key index at one revision: the mvcc read
/// (`treeIndex.Revisions` with its limit and total) and the apply-level prune, sort and limit.
/// Callers hold the state lock.
struct RangeReader {
    let index: KeyIndex
    let storage: any StorageEngine

    /// Reads `r` where `current` is the revision the read counts as now and `compacted` the
    /// compaction floor. The response's revision is `current`, as etcd's header revision.
    func read(_ r: RangeRequest, current: Int64, compacted: Int64) throws -> RangeResponse {
        if r.revision > current { throw StoreError.futureRevision }
        let rev = r.revision <= 0 ? current : r.revision
        if rev < compacted { throw StoreError.compacted }

        let filtered = r.minModRevision != 0 || r.maxModRevision != 0 || r.minCreateRevision != 0 || r.maxCreateRevision != 0
        // Sorting and filtering need every match; otherwise fetch one more than the limit to know `more`.
        // etcd treats a limit of zero or less as no limit.
        let limit = max(r.limit, 0)
        var fetchLimit = (r.sortOrder != .none || filtered) ? 0 : limit
        if fetchLimit > 0 { fetchLimit += 1 }

        var total: Int64 = 0
        var found: [(key: Data, entry: KeyHistory.Entry)] = []
        index.forEach(key: r.key, end: r.rangeEnd) { h in
            guard let e = h.live(at: rev) else { return true }
            total += 1
            if !r.countOnly && (fetchLimit == 0 || Int64(found.count) < fetchLimit) {
                found.append((h.key, e))
            }
            return true
        }
        if r.countOnly {
            return RangeResponse(revision: current, kvs: [], more: false, count: total)
        }

        if r.maxModRevision != 0 { found.removeAll { $0.entry.revision.main > r.maxModRevision } }
        if r.minModRevision != 0 { found.removeAll { $0.entry.revision.main < r.minModRevision } }
        if r.maxCreateRevision != 0 { found.removeAll { $0.entry.createRevision > r.maxCreateRevision } }
        if r.minCreateRevision != 0 { found.removeAll { $0.entry.createRevision < r.minCreateRevision } }

        var order = r.sortOrder
        if r.sortTarget != .key && order == .none {
            order = .ascend
        } else if r.sortTarget == .key && order == .ascend {
            order = .none  // already in key order
        }

        var kvs: [KeyValue]
        if order != .none && r.sortTarget == .value {
            kvs = sorted(try materialize(found), order: order) { compareBytes($0.value, $1.value) }
        } else {
            if order != .none {
                found = sorted(found, order: order) { a, b in
                    switch r.sortTarget {
                    case .key: return compareBytes(a.key, b.key)
                    case .version: return Self.compare(a.entry.version, b.entry.version)
                    case .create: return Self.compare(a.entry.createRevision, b.entry.createRevision)
                    case .mod: return Self.compare(a.entry.revision.main, b.entry.revision.main)
                    case .value: return 0
                    }
                }
            }
            // Trim before materializing, so values past the limit are never read from storage.
            if limit > 0 && found.count > Int(limit) + 1 {
                found.removeSubrange((Int(limit) + 1)...)
            }
            kvs = r.keysOnly ? found.map { kv(key: $0.key, entry: $0.entry, value: Data()) } : try materialize(found)
        }
        var more = false
        if limit > 0 && kvs.count > Int(limit) {
            kvs.removeSubrange(Int(limit)...)
            more = true
        }
        if r.keysOnly {
            for i in kvs.indices { kvs[i].value = Data() }
        }
        return RangeResponse(revision: current, kvs: kvs, more: more, count: total)
    }

    private static func compare(_ a: Int64, _ b: Int64) -> Int { a == b ? 0 : (a < b ? -1 : 1) }

    /// Sorts as etcd does: Go's `sort.Sort` over the key-ordered results, with `sort.Reverse` for descending.
    private func sorted<T>(_ items: [T], order: RangeRequest.SortOrder, by compare: @escaping (T, T) -> Int) -> [T] {
        order == .descend
            ? GoSort.sort(items) { compare($1, $0) < 0 }
            : GoSort.sort(items) { compare($0, $1) < 0 }
    }

    func kv(key: Data, entry e: KeyHistory.Entry, value: Data) -> KeyValue {
        KeyValue(key: key, value: value, createRevision: e.createRevision, modRevision: e.revision.main, version: e.version, lease: e.lease)
    }

    /// Turns index entries into key-values, reading values no longer held in memory from storage.
    func materialize(_ found: [(key: Data, entry: KeyHistory.Entry)]) throws -> [KeyValue] {
        let missing = found.compactMap { $0.entry.value == nil ? $0.entry.revision : nil }
        let fetched = missing.isEmpty ? [:] : try storage.values(at: missing)
        // Values read for the first time since a restart stay in memory, as a write's do.
        for item in found where item.entry.value == nil {
            if let value = fetched[item.entry.revision] { index.history(item.key)?.cacheValue(value, for: item.entry.revision) }
        }
        return try found.map { item in
            if let value = item.entry.value ?? fetched[item.entry.revision] {
                return kv(key: item.key, entry: item.entry, value: value)
            }
            // Compacted away between the index walk and the fetch.
            throw StoreError.compacted
        }
    }
}
