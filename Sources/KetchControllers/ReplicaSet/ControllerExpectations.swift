import Foundation
import Synchronization

/// Upstream's `UIDTrackingControllerExpectations`: the pod creations and deletions a controller
/// has asked for but its informer has not shown yet. While any are outstanding the controller
/// does not count pods again, so a cache that lags behind its own writes never makes it create
/// or delete twice. Expectations expire after five minutes, in case an event was lost.
///
/// They live only in memory: after a restart the informer's first list already holds every pod
/// created before, so nothing is expected and nothing is duplicated.
public final class ControllerExpectations: Sendable {
    /// `controller.ExpectationsTimeout`.
    public static let timeout: TimeInterval = 5 * 60

    private struct Entry {
        var adds: Int
        var deletes: Int
        var since: Date
        var deleting: Set<String>
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let clock: @Sendable () -> Date

    /// Expectations timed by `clock`.
    public init(clock: @escaping @Sendable () -> Date = { Date() }) {
        self.clock = clock
    }

    /// Whether the controller at `key` may count its pods again: nothing outstanding, nothing
    /// recorded, or the record older than ``timeout``.
    public func satisfied(_ key: String) -> Bool {
        let now = clock()
        return entries.withLock { table in
            guard let entry = table[key] else { return true }
            return (entry.adds <= 0 && entry.deletes <= 0) || now.timeIntervalSince(entry.since) > Self.timeout
        }
    }

    /// Expects `count` pod creations for `key`, replacing what was expected before.
    public func expectCreations(_ key: String, _ count: Int) {
        let now = clock()
        entries.withLock { $0[key] = Entry(adds: count, deletes: 0, since: now, deleting: []) }
    }

    /// Expects the deletion of the pods with these `namespace/name` keys.
    public func expectDeletions(_ key: String, podKeys: [String]) {
        let now = clock()
        entries.withLock { $0[key] = Entry(adds: 0, deletes: podKeys.count, since: now, deleting: Set(podKeys)) }
    }

    /// One expected creation has been seen (or will never happen).
    public func creationObserved(_ key: String) {
        entries.withLock { table in
            guard table[key] != nil else { return }
            table[key]?.adds -= 1
        }
    }

    /// The pod `podKey` has been seen going away; counts only if its deletion was expected.
    public func deletionObserved(_ key: String, podKey: String) {
        entries.withLock { table in
            guard table[key]?.deleting.remove(podKey) != nil else { return }
            table[key]?.deletes -= 1
        }
    }

    /// Forgets `key` (its controller is gone).
    public func delete(_ key: String) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }
}
