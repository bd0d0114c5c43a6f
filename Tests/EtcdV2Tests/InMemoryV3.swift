import EtcdKeySpace
import EtcdV2
import Synchronization

/// A v3 key space in memory with etcd's revision and compare rules, so the v2 emulation is
/// tested without a server.
final class InMemoryV3: V2KeysBackend {
    private struct Entry {
        var value: [UInt8]
        var createRevision: Int64
        var modRevision: Int64
    }

    private struct State {
        var keys: [[UInt8]: Entry] = [:]
        var revision: Int64 = 1
    }

    private let state = Mutex(State())

    private static func inRange(_ k: [UInt8], _ key: [UInt8], _ end: [UInt8]?) -> Bool {
        guard let end else { return k == key }
        if end == [0] { return !k.lexicographicallyPrecedes(key) }
        return !k.lexicographicallyPrecedes(key) && k.lexicographicallyPrecedes(end)
    }

    func range(key: [UInt8], rangeEnd: [UInt8]?, countOnly: Bool) async throws -> V2RangeResult {
        state.withLock { s in
            let hits = s.keys.filter { Self.inRange($0.key, key, rangeEnd) }
                .sorted { $0.key.lexicographicallyPrecedes($1.key) }
                .map { V2StoredKey(key: $0.key, value: $0.value.value, createRevision: $0.value.createRevision,
                                   modRevision: $0.value.modRevision) }
            return V2RangeResult(kvs: countOnly ? [] : hits, count: Int64(hits.count), revision: s.revision)
        }
    }

    func commit(guards: [V2Guard], writes: [V2Write]) async throws -> Int64? {
        state.withLock { s in
            for g in guards {
                let targets = s.keys.filter { Self.inRange($0.key, g.key, g.rangeEnd) }.map(\.value)
                let values = targets.isEmpty ? [Int64(0)] : targets.map { g.target == .modRevision ? $0.modRevision : $0.createRevision }
                for v in values where !(g.relation == .equal ? v == g.value : v < g.value) { return nil }
            }
            s.revision += 1
            for w in writes {
                switch w {
                case .put(let key, let value):
                    let created = s.keys[key]?.createRevision ?? s.revision
                    s.keys[key] = Entry(value: value, createRevision: created, modRevision: s.revision)
                case .delete(let key, let end):
                    for k in s.keys.keys where Self.inRange(k, key, end) { s.keys[k] = nil }
                }
            }
            return s.revision
        }
    }
}
