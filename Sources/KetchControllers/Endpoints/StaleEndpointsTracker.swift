import KubeCore
import Synchronization

/// Remembers the resourceVersion an Endpoints object had before this controller updated it, so
/// a reconcile reading that version from a lagging cache waits instead of writing over its own
/// update (upstream's `staleEndpointsTracker`).
final class StaleEndpointsTracker: Sendable {
    private let replaced = Mutex([ObjectKey: String]())

    /// Records that `old` was replaced by a newer version.
    func markStale(_ old: JSONValue) {
        guard let version = old[path: ["metadata", "resourceVersion"]]?.string else { return }
        replaced.withLock { $0[ObjectKey(old)] = version }
    }

    /// Whether `current` is a version this controller already replaced.
    func isStale(_ current: JSONValue) -> Bool {
        guard let version = current[path: ["metadata", "resourceVersion"]]?.string else { return false }
        return replaced.withLock { $0[ObjectKey(current)] == version }
    }

    /// Forgets an object.
    func forget(_ key: ObjectKey) {
        _ = replaced.withLock { $0.removeValue(forKey: key) }
    }
}

/// A reconcile met a cache older than the controller's own last write; it is retried.
struct StaleInformerCache: Error, CustomStringConvertible {
    /// What was stale.
    var message: String
    var description: String { message }
}
