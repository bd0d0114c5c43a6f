/// A doorbell for one waiting loop: `wait` returns when `signal` is rung (a ring with nobody
/// waiting is remembered), when the timeout passes, or when the waiting task is cancelled.
actor Wakeup {
    private var waiter: CheckedContinuation<Void, Never>?
    private var rung = false
    private var generation = 0

    /// Wakes the waiter, or the next one to wait.
    func signal() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            rung = true
        }
    }

    /// Waits for a ring, at most `timeout` (nil: no limit).
    func wait(timeout: Duration?) async {
        if rung || Task.isCancelled {
            rung = false
            return
        }
        generation += 1
        let ticket = generation
        if let timeout {
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                await self?.expire(ticket)
            }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { waiter = $0 }
        } onCancel: {
            Task { await self.signal() }
        }
        rung = false
    }

    private func expire(_ ticket: Int) {
        guard ticket == generation, let waiter else { return }
        self.waiter = nil
        waiter.resume()
    }
}
