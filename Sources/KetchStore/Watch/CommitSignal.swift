import Synchronization

/// Lets watchers sleep until a revision newer than the one they have seen is durable.
final class CommitSignal: Sendable {
    private struct Waiter {
        var after: Int64
        var wake: @Sendable () -> Void
    }

    private struct State {
        var committed: Int64 = 0
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Announces that revisions up to `revision` are durable.
    func publish(_ revision: Int64) {
        let ready = state.withLock { s -> [@Sendable () -> Void] in
            s.committed = max(s.committed, revision)
            var ready: [@Sendable () -> Void] = []
            for (id, w) in s.waiters where w.after < s.committed {
                ready.append(w.wake)
                s.waiters[id] = nil
            }
            return ready
        }
        for wake in ready { wake() }
    }

    /// Calls `wake` once, as soon as a revision above `revision` is durable (right away when one
    /// already is). Returns the ID to `cancel` it with, or nil when it has already run.
    @discardableResult
    func notify(after revision: Int64, _ wake: @escaping @Sendable () -> Void) -> UInt64? {
        let id: UInt64? = state.withLock { s in
            if s.committed > revision { return nil }
            s.nextID += 1
            s.waiters[s.nextID] = Waiter(after: revision, wake: wake)
            return s.nextID
        }
        if id == nil { wake() }
        return id
    }

    /// Drops a notification that has not run; returns its `wake` (nil when it already ran).
    @discardableResult
    func cancel(_ id: UInt64) -> (@Sendable () -> Void)? {
        state.withLock { $0.waiters.removeValue(forKey: id)?.wake }
    }

    /// Returns once a revision above `revision` is durable, or the task is cancelled.
    func wait(after revision: Int64) async {
        let registration = Mutex<UInt64?>(nil)
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let id = notify(after: revision) { continuation.resume() }
                registration.withLock { $0 = id }
                // Cancelled before the registration was visible to the handler below.
                if Task.isCancelled, let id, let wake = cancel(id) { wake() }
            }
        } onCancel: {
            if let id = registration.withLock({ $0 }), let wake = cancel(id) { wake() }
        }
    }
}
