import Foundation

/// Keys waiting to be reconciled, as client-go's rate-limited work queue: a key queued twice is
/// processed once; a key queued while it is being processed is processed again afterwards (never
/// by two workers at once); failures come back after an exponential back-off.
public actor WorkQueue<Key: Hashable & Sendable> {
    private var queue: [Key] = []
    private var head = 0
    private var dirty: Set<Key> = []
    private var processing: Set<Key> = []
    private var failures: [Key: Int] = [:]
    private var waiters: [CheckedContinuation<Key?, Never>] = []
    private var delayed: [Key: Task<Void, Never>] = [:]
    private var shuttingDown = false
    /// The first retry's delay; each failure doubles it, up to `maxDelay`.
    let baseDelay: Duration
    /// The longest back-off.
    let maxDelay: Duration

    /// A queue retrying failures after `baseDelay`, doubling up to `maxDelay`.
    public init(baseDelay: Duration = .milliseconds(5), maxDelay: Duration = .seconds(30)) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Queues `key` unless it is already waiting.
    public func add(_ key: Key) {
        guard !shuttingDown, !dirty.contains(key) else { return }
        dirty.insert(key)
        if processing.contains(key) { return }  // `done` queues it again
        if let waiter = waiters.first {
            waiters.removeFirst()
            processing.insert(key)
            dirty.remove(key)
            waiter.resume(returning: key)
        } else {
            queue.append(key)
        }
    }

    /// Queues `key` after `delay`; an earlier pending delayed add of the same key is kept if sooner.
    public func add(_ key: Key, after delay: Duration) {
        guard delay > .zero else { add(key); return }
        guard delayed[key] == nil else { return }
        delayed[key] = Task { [weak self] in
            try? await Task.sleep(for: delay)
            await self?.fireDelayed(key)
        }
    }

    private func fireDelayed(_ key: Key) {
        delayed[key] = nil
        add(key)
    }

    /// Queues `key` after its back-off, which doubles with every failure until `forget`.
    public func addRateLimited(_ key: Key) {
        let count = failures[key, default: 0]
        failures[key] = count + 1
        let delay = min(maxDelay, baseDelay * (1 << min(count, 20)))
        add(key, after: delay)
    }

    /// Clears `key`'s failure count.
    public func forget(_ key: Key) { failures[key] = nil }

    /// The next key to process, or nil once shut down. Call `done` when finished with it.
    public func next() async -> Key? {
        if head < queue.count {
            let key = queue[head]
            head += 1
            if head > 1024 && head * 2 > queue.count { queue.removeFirst(head); head = 0 }
            dirty.remove(key)
            processing.insert(key)
            return key
        }
        if shuttingDown { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Marks `key` processed; it is queued again if it was added meanwhile.
    public func done(_ key: Key) {
        processing.remove(key)
        if dirty.contains(key) {
            dirty.remove(key)
            add(key)
        }
    }

    /// The number of keys waiting.
    public var length: Int { queue.count - head }

    /// Wakes every waiting worker with nil; later `add`s are ignored.
    public func shutDown() {
        shuttingDown = true
        for task in delayed.values { task.cancel() }
        delayed = [:]
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters = []
    }
}
