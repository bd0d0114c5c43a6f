import Dispatch
import Foundation

/// Private keys generated ahead of need, on all cores, in the background.
///
/// RSA key generation is nearly all of a PKI's cost (OpenSSL 3.0 makes 2048-bit keys the
/// SP 800-56B way, ~100–200 ms of CPU each), so `ketch init` can start a pool for every key
/// it will need before doing anything else, and let the other phases run meanwhile.
/// Keys come out in completion order; a pool that runs dry generates on the caller's thread.
public final class KeyPool: Sendable {
    /// The type of every key in the pool.
    public let algorithm: KeyAlgorithm
    private let state: State

    /// Starts generating `count` keys right away.
    public init(algorithm: KeyAlgorithm = .default, count: Int) {
        self.algorithm = algorithm
        let state = State(pending: max(0, count))
        self.state = state
        guard count > 0 else { return }
        DispatchQueue.global(qos: .userInitiated).async {
            DispatchQueue.concurrentPerform(iterations: count) { _ in
                // A dropped pool stops spending CPU on keys nobody will take.
                guard !state.isCancelled else { return state.abandon() }
                state.deliver(Result { try PrivateKey.generate(algorithm) })
            }
        }
    }

    deinit {
        state.cancel()
    }

    /// The next key, waiting for one in progress if needed.
    public func take() throws -> PrivateKey {
        if let next = state.next() { return try next.get() }
        return try PrivateKey.generate(algorithm)
    }

    /// Takes `count` keys.
    public func take(_ count: Int) throws -> [PrivateKey] {
        try (0..<count).map { _ in try take() }
    }

    /// Shared between the pool and its generator threads; every field is guarded by `condition`.
    private final class State: @unchecked Sendable {
        private let condition = NSCondition()
        private var ready: [Result<PrivateKey, any Error>] = []
        private var pending: Int
        private var cancelled = false

        init(pending: Int) {
            self.pending = pending
        }

        var isCancelled: Bool {
            condition.lock()
            defer { condition.unlock() }
            return cancelled
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.unlock()
        }

        func deliver(_ result: Result<PrivateKey, any Error>) {
            condition.lock()
            ready.append(result)
            pending -= 1
            condition.broadcast()
            condition.unlock()
        }

        func abandon() {
            condition.lock()
            pending -= 1
            condition.broadcast()
            condition.unlock()
        }

        /// A finished key (or its error); nil once nothing is ready or in progress.
        func next() -> Result<PrivateKey, any Error>? {
            condition.lock()
            defer { condition.unlock() }
            while ready.isEmpty && pending > 0 { condition.wait() }
            return ready.isEmpty ? nil : ready.removeFirst()
        }
    }
}
