import Foundation
import Synchronization

/// The pod creations and deletions a controller has made but its pod cache may not show yet
/// (upstream's `ControllerExpectations`, checked against the cache rather than counted from its
/// events). While any is unseen the controller does not count pods again, so a cache lagging
/// behind its own writes never makes it create a second pod for a node. Writes older than five
/// minutes are forgotten, in case the cache never shows them.
public final class PodWriteExpectations: Sendable {
    private struct Entry {
        var created: Set<ObjectKey>
        var deleted: Set<ObjectKey>
        var since: Date
    }

    private let entries = Mutex<[ObjectKey: Entry]>([:])
    private let clock: @Sendable () -> Date

    /// Expectations timed by `clock`.
    public init(clock: @escaping @Sendable () -> Date = { Date() }) {
        self.clock = clock
    }

    /// Records that the controller at `key` created the pods `created` and deleted `deleted`.
    public func expect(_ key: ObjectKey, created: [ObjectKey], deleted: [ObjectKey]) {
        guard !created.isEmpty || !deleted.isEmpty else { return }
        let now = clock()
        entries.withLock { table in
            var entry = table[key] ?? Entry(created: [], deleted: [], since: now)
            entry.created.formUnion(created)
            entry.deleted.formUnion(deleted)
            entry.since = now
            table[key] = entry
        }
    }

    /// Whether `pods` (the cache) shows every write of `key`: created pods present, deleted
    /// ones gone or terminating. Writes it shows are dropped.
    public func satisfied(_ key: ObjectKey, pods: Informer) -> Bool {
        let now = clock()
        return entries.withLock { table in
            guard var entry = table[key] else { return true }
            entry.created = entry.created.filter { pods.get($0) == nil }
            entry.deleted = entry.deleted.filter { pods.get($0).map { !PodReadiness.isTerminating($0) } ?? false }
            if (entry.created.isEmpty && entry.deleted.isEmpty) || now.timeIntervalSince(entry.since) > ControllerExpectations.timeout {
                table[key] = nil
                return true
            }
            table[key] = entry
            return false
        }
    }

    /// Forgets `key` (its controller is gone).
    public func forget(_ key: ObjectKey) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }
}
