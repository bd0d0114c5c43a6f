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
final class SpawnThread: Sendable {
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let pending = DispatchSemaphore(value: 0)

    init() {
        let thread = Thread { [self] in
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
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            jobs.withLock { $0.append { continuation.resume(with: Result { try body() }) } }
            pending.signal()
        }
    }
}
