import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The stop request Ctrl-C, SIGTERM or SIGHUP makes: polled while starting, awaited once up.
public final class ShutdownRequest: Sendable {
    private let signal = Mutex<Int32?>(nil)
    private let stream: AsyncStream<Int32>
    private let continuation: AsyncStream<Int32>.Continuation

    /// No request yet.
    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
    }

    /// The first signal received, if any.
    public var requested: Int32? { signal.withLock { $0 } }

    /// Records signal `number`; only the first one counts.
    public func request(_ number: Int32) {
        let first = signal.withLock { current -> Bool in
            guard current == nil else { return false }
            current = number
            return true
        }
        if first { continuation.yield(number) }
    }

    /// Waits for the first signal.
    public func wait() async -> Int32 {
        for await number in stream { return number }
        return requested ?? SIGTERM
    }
}
