import Foundation

/// The in-memory ordered index of every key the store keeps, in byte order.
///
/// A sorted array of histories plus a hash map for point lookups: ranges are a binary search
/// and a walk, puts to existing keys never touch the order.
final class KeyIndex {
    private var ordered: [KeyHistory] = []
    private var byKey: [Data: KeyHistory] = [:]

    var keyCount: Int { ordered.count }

    func history(_ key: Data) -> KeyHistory? {
        byKey[key]
    }

    /// The history of `key`, inserted in order if new.
    func historyCreating(_ key: Data) -> KeyHistory {
        if let h = byKey[key] { return h }
        let h = KeyHistory(key: key)
        ordered.insert(h, at: lowerBound(key))
        byKey[key] = h
        return h
    }

    /// Builds the index from histories in any order (recovery).
    func bulkLoad(_ histories: [KeyHistory]) {
        ordered = histories.sorted { compareBytes($0.key, $1.key) < 0 }
        byKey = Dictionary(uniqueKeysWithValues: ordered.map { ($0.key, $0) })
    }

    /// The first position whose key is not less than `key`.
    private func lowerBound(_ key: Data) -> Int {
        var low = 0
        var high = ordered.count
        while low < high {
            let mid = (low + high) / 2
            if compareBytes(ordered[mid].key, key) < 0 {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low
    }

    /// Visits the histories of keys in the range, in key order, until `body` returns false.
    func forEach(key: Data, end: RangeEnd, _ body: (KeyHistory) -> Bool) {
        switch end {
        case .single:
            if let h = byKey[key] { _ = body(h) }
        case .fromKey:
            var i = lowerBound(key)
            while i < ordered.count {
                if !body(ordered[i]) { return }
                i += 1
            }
        case .before(let endKey):
            var i = lowerBound(key)
            while i < ordered.count, compareBytes(ordered[i].key, endKey) < 0 {
                if !body(ordered[i]) { return }
                i += 1
            }
        }
    }

    /// Visits every history.
    func forEachHistory(_ body: (KeyHistory) -> Void) {
        for h in ordered { body(h) }
    }

    /// Compacts every key at `revision`; keys left without history leave the index.
    func compact(at revision: Int64) -> [Revision] {
        var removed: [Revision] = []
        var emptied = false
        for h in ordered {
            removed.append(contentsOf: h.compact(at: revision))
            if h.isEmpty { emptied = true }
        }
        if emptied {
            ordered.removeAll { h in
                guard h.isEmpty else { return false }
                byKey[h.key] = nil
                return true
            }
        }
        return removed
    }
}
