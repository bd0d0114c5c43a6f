import Dispatch
import Foundation
import Synchronization

/// One thread, alive as long as `ketch up`, that starts every child process.
///
/// On Linux a child's parent-death signal (`PR_SET_PDEATHSIG`, which `ketch up _exec-child`
/// asks for) fires when the *thread* that created the child ends, not the process. Swift's
/// cooperative pool and Dispatch retire idle threads, so a child spawned from one of them could
/// be sent SIGTERM while `ketch up` is alive and well. Spawning from this thread, which never
/// returns, ties the signal to the death of `ketch up` itself.
public final class SpawnThread: Sendable {
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let pending = DispatchSemaphore(value: 0)

    /// Starts the thread; it runs until the process ends.
    public init() {
        let thread = Thread { [self] in
            // Children inherit this thread's signal mask (Foundation's Process does not set one),
            // and a thread started from a Dispatch worker blocks nearly every signal: its
            // children would not hear SIGTERM until they unblocked it themselves.
            var none = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, nil)
            while true {
                pending.wait()
                let job = jobs.withLock { $0.removeFirst() }
                job()
            }
        }
        thread.name = "ketch-up-spawn"
        thread.start()
    }

    /// Runs `body` on the spawn thread and returns what it returns.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            jobs.withLock { $0.append { continuation.resume(with: Result { try body() }) } }
            pending.signal()
        }
    }
}
