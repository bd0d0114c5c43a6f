/// At most `limit` holders at once: `acquire` waits for a free place, `release` frees one.
/// The scheduler binds pods concurrently (as upstream's binding goroutines do) without
/// opening a thousand requests at once during a burst.
actor ConcurrencyLimit {
    private let limit: Int
    private var held = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// A limit of `limit` (at least one).
    init(_ limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a place, waiting for one if all are held.
    func acquire() async {
        if held < limit {
            held += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Frees a place, handing it straight to the longest waiter if there is one.
    func release() {
        if waiters.isEmpty {
            held -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
