import Synchronization

/// Owner coordinates the apiserver has said do not exist, so a thousand dependents of one
/// deleted owner cost one GET, not a thousand (upstream's `absentOwnerCache`, an LRU of 500).
/// A uid never comes back, so an entry can only go stale by being evicted.
final class AbsentOwnerCache: Sendable {
    private struct State {
        var stamps: [GCIdentity: Int] = [:]
        var clock = 0
    }
    private let capacity: Int
    private let state = Mutex(State())

    /// A cache holding at most `capacity` identities.
    init(capacity: Int = 500) {
        self.capacity = capacity
    }

    /// Records `identity` as absent, evicting the least recently used entry when full.
    func insert(_ identity: GCIdentity) {
        state.withLock { s in
            s.clock += 1
            s.stamps[identity] = s.clock
            if s.stamps.count > capacity, let oldest = s.stamps.min(by: { $0.value < $1.value })?.key {
                s.stamps.removeValue(forKey: oldest)
            }
        }
    }

    /// Whether `identity` is known to be absent; a hit counts as a use.
    func contains(_ identity: GCIdentity) -> Bool {
        state.withLock { s in
            guard s.stamps[identity] != nil else { return false }
            s.clock += 1
            s.stamps[identity] = s.clock
            return true
        }
    }
}
