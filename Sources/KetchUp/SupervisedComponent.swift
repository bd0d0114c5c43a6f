import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One control-plane component run as a child of `ketch up`, as the kubelet runs a static Pod:
/// output appended to its log file, restarted with a back-off when it exits without being asked
/// to, stopped with SIGTERM and, after a grace period, SIGKILL.
public final class SupervisedComponent: Sendable {
    /// What runs.
    public let launch: ComponentLaunch
    /// `STATE/logs/<component>.log`: the child's stdout and stderr, and a line per start and exit.
    public let logPath: String
    private let workingDirectory: String
    private let spawner: SpawnThread
    private let backoff: RestartBackoff
    private let state = Mutex(State())

    private struct State {
        /// From the moment a start begins until the child has exited (or failed to start), so
        /// `stop` also waits for a child that is still being spawned.
        var running = false
        var pid: Int32 = 0
        var stopping = false
        var supervisor: Task<Void, Never>?
        var starts = 0
    }

    /// A component to run from `workingDirectory`, logging to `<logDirectory>/<name>.log`,
    /// its processes started on `spawner` and restarted after `backoff`.
    public init(
        launch: ComponentLaunch, logDirectory: String, workingDirectory: String, spawner: SpawnThread,
        backoff: RestartBackoff = .standard
    ) {
        self.launch = launch
        self.logPath = logDirectory + "/" + launch.name + ".log"
        self.workingDirectory = workingDirectory
        self.spawner = spawner
        self.backoff = backoff
    }

    /// The component's name.
    public var name: String { launch.name }

    /// Starts the child and keeps it running until `stop`.
    public func start() {
        let task = Task { await supervise() }
        state.withLock { $0.supervisor = task }
    }

    /// Whether a child is running right now (false between a crash and its restart).
    public var isRunning: Bool { state.withLock { $0.running && $0.pid != 0 } }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    private func supervise() async {
        var delay: Duration?
        while !isStopping {
            let started = ContinuousClock.now
            let outcome: String
            do {
                outcome = try await runOnce()
            } catch {
                state.withLock { $0.running = false; $0.pid = 0 }
                outcome = "could not be started: \(error)"
            }
            if isStopping { break }
            let wait = backoff.delay(after: ContinuousClock.now - started, previous: delay)
            delay = wait
            announce("[up] \(name) \(outcome); restarting in \(wait.secondsText) (log: \(logPath))")
            do {
                try await Task.sleep(for: wait)
            } catch {
                break  // cancelled by stop()
            }
        }
    }

    /// Runs the child once; returns how it ended, in words.
    private func runOnce() async throws -> String {
        let start = state.withLock { s -> Int? in
            guard !s.stopping else { return nil }
            s.running = true
            s.starts += 1
            return s.starts
        }
        guard let start else { return "was not started (stopping)" }

        let log = try openLog()
        defer { try? log.close() }
        // The command line once per run: restarts repeat it, and the log's tail should show the
        // component's own last words rather than a wall of flags.
        appendToLog(start == 1
            ? "---- \(Date()) ketch up: starting \(name) (from \(launch.origin)): \(launch.shownCommand)"
            : "---- \(Date()) ketch up: starting \(name) again (start \(start))")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: launch.executable)
        process.arguments = launch.arguments
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        // As in a static Pod, only the manifest configures the component: etcd reads ETCD_*
        // variables as flags, so a user's would change what the manifest says.
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ETCD_") }
        process.standardInput = nil
        process.standardOutput = log
        process.standardError = log
        let (exits, exited) = AsyncStream.makeStream(of: String.self)
        process.terminationHandler = { [self] process in
            let how = process.terminationReason == .exit
                ? "exited with code \(process.terminationStatus)"
                : "was killed by signal \(process.terminationStatus)\(SignalName.of(process.terminationStatus).map { " (\($0))" } ?? "")"
            state.withLock { $0.running = false; $0.pid = 0 }
            exited.yield(how)
            exited.finish()
        }

        let box = UncheckedProcess(process)
        let pid = try await spawner.run { try box.process.run(); return box.process.processIdentifier }
        let stopNow = state.withLock { s -> Bool in
            if s.running { s.pid = pid }  // the termination handler may have run already
            return s.stopping
        }
        // stop() may have come while the child was being spawned; it waits for `running` to
        // drop but could not signal a pid it did not know yet.
        if stopNow { kill(pid, SIGTERM) }

        // Waited for in a task of its own: stop() cancels the supervisor (to cut a back-off
        // short), and a cancelled iteration would end before the child does.
        let how = await Task {
            var how = "ended"
            for await text in exits { how = text }
            return how
        }.value
        appendToLog("---- \(Date()) ketch up: \(name) (pid \(pid)) \(how)")
        return how
    }

    /// Stops the child: SIGTERM, then SIGKILL if it is still running after `grace`.
    /// Returns whether it had to be killed.
    @discardableResult
    public func stop(grace: Duration = .seconds(5)) async -> Bool {
        let supervisor = state.withLock { s -> Task<Void, Never>? in
            s.stopping = true
            return s.supervisor
        }
        supervisor?.cancel()  // ends a back-off sleep at once
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        var signalled: Int32 = 0
        var killed = false
        while true {
            let (running, pid) = state.withLock { ($0.running, $0.pid) }
            guard running else { break }
            if pid != 0 && pid != signalled {
                kill(pid, SIGTERM)
                signalled = pid
            }
            if clock.now >= deadline && pid != 0 && !killed {
                appendToLog("---- \(Date()) ketch up: \(name) (pid \(pid)) did not stop within \(grace.secondsText); sending SIGKILL")
                kill(pid, SIGKILL)
                killed = true
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        await supervisor?.value
        return killed
    }

    /// The last `count` lines of the log, for error messages.
    public func logTail(_ count: Int = 20) -> String {
        guard let data = FileManager.default.contents(atPath: logPath) else { return "(no log yet)" }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        return lines.suffix(count + 1).joined(separator: "\n").trimmingCharacters(in: .newlines)
    }

    /// Prints `line` and appends it to the log, so the log tells the whole story on its own.
    public func announce(_ line: String) {
        progress(line)
        appendToLog("---- \(Date()) \(line)")
    }

    private func appendToLog(_ line: String) {
        guard let handle = try? openLog() else { return }
        defer { try? handle.close() }
        try? handle.write(contentsOf: Data((line + "\n").utf8))
    }

    /// The log opened for appending: O_APPEND keeps the child's writes and ours whole lines at
    /// the end, whoever writes; close-on-exec keeps it out of children that are not this one.
    private func openLog() throws -> FileHandle {
        let fd = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw UpError("cannot open \(logPath): \(String(cString: strerror(errno)))") }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
}

/// Carries a `Process` to the spawn thread; it is used there and only read afterwards.
private struct UncheckedProcess: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}
