import Synchronization

/// Lets watchers sleep until a revision newer than the one they have seen is durable.
final class CommitSignal: Sendable {
    private struct Waiter {
        var after: Int64
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var committed: Int64 = 0
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Announces that revisions up to `revision` are durable.
    func publish(_ revision: Int64) {
        let ready = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.committed = max(s.committed, revision)
            var ready: [CheckedContinuation<Void, Never>] = []
            for (id, w) in s.waiters where w.after < s.committed {
                ready.append(w.continuation)
                s.waiters[id] = nil
            }
            return ready
        }
        for c in ready { c.resume() }
    }

    /// Returns once a revision above `revision` is durable, or the task is cancelled.
    func wait(after revision: Int64) async {
        let id = state.withLock { s -> UInt64 in
            s.nextID += 1
            return s.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.committed > revision || Task.isCancelled { return true }
                    s.waiters[id] = Waiter(after: revision, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.continuation.resume()
        }
    }
}
