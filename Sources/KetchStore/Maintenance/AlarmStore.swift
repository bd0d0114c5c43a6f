import Synchronization

/// The raised alarms, durable across restarts, and the write restrictions they impose —
/// etcd's `AlarmStore` together with its choice of applier.
final class AlarmStore: Sendable {
    /// Which writes the alarms refuse: etcd swaps its applier when an alarm of a type is first
    /// raised or the last one is cleared, so this follows those transitions rather than the set.
    enum Restriction: Sendable, Equatable {
        case none
        /// NOSPACE: puts, txns with puts and lease grants fail (`applierV3Capped`).
        case capped
        /// CORRUPT: every write, compaction and lease change fails (`applierV3Corrupt`).
        case corrupt
    }

    private struct State {
        var active: Set<AlarmMember>
        var restriction: Restriction
    }

    private let state: Mutex<State>
    private let storage: (any StorageMaintenance)?

    /// Loads the alarms kept in `storage` (none without maintenance support) and restricts
    /// writes as etcd's `restoreAlarms` does: CORRUPT wins over NOSPACE.
    init(storage: (any StorageMaintenance)?) throws {
        let active = Set(try storage?.loadAlarms() ?? [])
        var restriction = Restriction.none
        if active.contains(where: { $0.type == .noSpace }) { restriction = .capped }
        if active.contains(where: { $0.type == .corrupt }) { restriction = .corrupt }
        self.storage = storage
        self.state = Mutex(State(active: active, restriction: restriction))
    }

    var restriction: Restriction { state.withLock { $0.restriction } }

    /// Raised alarms of `type` (`.none`: all), in a stable order.
    func list(_ type: AlarmType = .none) -> [AlarmMember] {
        state.withLock { s in s.active.filter { type == .none || $0.type == type }.sorted() }
    }

    /// Raises an alarm; answers it (also when it was already raised), or nil for type `.none`.
    func activate(_ alarm: AlarmMember) throws -> AlarmMember? {
        guard alarm.type != .none else { return nil }
        return try state.withLock { s in
            if s.active.contains(alarm) { return alarm }
            let wasRaised = s.active.contains { $0.type == alarm.type }
            try storage?.setAlarm(alarm, active: true)
            s.active.insert(alarm)
            if !wasRaised {
                // etcd replaces its applier outright here, so a new NOSPACE lifts CORRUPT's limits.
                s.restriction = alarm.type == .noSpace ? .capped : .corrupt
            }
            return alarm
        }
    }

    /// Clears an alarm; answers it, or nil when it was not raised.
    func deactivate(_ alarm: AlarmMember) throws -> AlarmMember? {
        try state.withLock { s in
            guard s.active.contains(alarm) else { return nil }
            try storage?.setAlarm(alarm, active: false)
            s.active.remove(alarm)
            if !s.active.contains(where: { $0.type == alarm.type }) {
                // As etcd: clearing the last alarm of a type restores the plain applier, even
                // while alarms of the other type remain.
                s.restriction = .none
            }
            return alarm
        }
    }
}
