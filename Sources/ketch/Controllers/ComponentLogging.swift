import Foundation
import KetchControllers
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Logging and process life shared by the controller manager and the scheduler.
enum ComponentLogging {
    /// Sends logs to stderr at the level `--v` asks for; returns the component's logger.
    static func bootstrap(_ component: String, verbosity: Int) -> Logger {
        let level: Logger.Level = verbosity >= 4 ? .debug : .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: component)
    }

    /// Notes each flag given that Ketch has no use for.
    static func noteIgnored(_ flags: [String], logger: Logger) {
        for flag in flags where flag.hasPrefix("-") {
            let name = flag.split(separator: "=", maxSplits: 1).first.map(String.init) ?? flag
            logger.info("flag \(name) is accepted and has no effect in Ketch")
        }
    }

    /// Runs `body` until it ends or SIGINT/SIGTERM arrives (then cancels it, so leases are handed
    /// back); losing leadership exits with status 1, as upstream's `klog.Fatalf("leaderelection lost")`.
    static func runUntilSignalled(logger: Logger, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let task = Task { try await body() }
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { _ in task.cancel() }
        defer { signals.cancel() }
        do {
            try await task.value
        } catch let lost as ComponentRunner.LeadershipLost {
            logger.error("\(lost)")
            Foundation.exit(1)
        } catch is CancellationError {
            return
        }
    }
}
