import NIOCore
import NIOPosix

/// Where the servers' Swift tasks run.
///
/// gRPC and HTTP calls arrive on NIO's event loops, and each call's handler is a Swift task on
/// Swift's cooperative pool, so every call crosses between the two thread pools. Running tasks
/// on the event loops' threads instead (NIO's `MultiThreadedEventLoopGroup.singleton`, which the
/// servers use) removes those hand-offs: measured on two cores it made single-key reads 5–10%
/// faster, but halved watch fan-out to 1,000 watchers, whose wake-ups come from the store's
/// commit thread and each cost an event-loop wake-up (docs/benchmarks.md). So Swift's pool stays
/// the default and the event loops are opt-in: `KETCH_CONCURRENCY_POOL=nio`.
enum ConcurrencyPool {
    static let environmentVariable = "KETCH_CONCURRENCY_POOL"

    /// Makes NIO's event loops Swift's global executor for a serving subcommand when asked to.
    /// Must run first thing in `main`, on the main thread, before any task is created.
    static func adopt(arguments: [String], environment: [String: String]) {
        guard environment[environmentVariable] == "nio" else { return }
        guard arguments.count > 1, ["etcd", "apiserver"].contains(arguments[1]) else { return }
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
