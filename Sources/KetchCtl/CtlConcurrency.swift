import Dispatch
import EtcdClient
import Foundation
import GoText
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `lock` and `elect`, as etcdctl 3.5.1 runs them over etcd's concurrency recipes (the same
/// recipes, in Swift: ``EtcdMutex``, ``EtcdElection``, ``EtcdSession``), so etcdctl and ketch ctl
/// contend for the same locks and elections.
///
/// Like etcdctl they call etcd without deadlines and wait while no endpoint answers; SIGINT and
/// SIGTERM end them cleanly (unlock, resign) once the session exists.
enum CtlConcurrency {
    static var commands: [String: CtlCommand.Handler] {
        [
            "lock": { p, g in try await lock(p, g) },
            "elect": { p, g in try await elect(p, g) },
            "make-mirror": { p, g in try await CtlMirror.makeMirror(p, g) },
        ]
    }

    // MARK: lock

    static func lock(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        guard let name = p.positionals.first else {
            throw CtlFailure(CtlExit.badArgs, "lock takes a lock name argument and an optional command to execute")
        }
        let command = Array(p.positionals.dropFirst())
        let ttl = try intFlag(p, "ttl", default: 10)
        let printer = try CtlPrinter(writeOut: CtlRPC.printerFormat(g), hex: g.hex)
        let client = try g.unlimitedClient()
        defer { CtlRPC.closeLater([client]) }
        do {
            try await lockUntilSignal(client, name: name, ttl: ttl, command: command, printer: printer, g)
        } catch let failure as CtlFailure {
            throw failure
        } catch {
            throw failure(error, g)
        }
    }

    /// etcdctl's `lockUntilSignal`.
    private static func lockUntilSignal(_ client: EtcdClient, name: String, ttl: Int64, command: [String],
                                        printer: CtlPrinter, _ g: CtlGlobals) async throws {
        let session = try await EtcdSession.start(client: client, ttl: ttl)
        let mutex = EtcdMutex(session: session, name: name)
        let interrupt = CtlInterrupt.install()
        try await interrupt.cancelling { try await mutex.lock() }

        if !command.isEmpty {
            var environment = ProcessInfo.processInfo.environment
            // Go's exec keeps the last of duplicate variables: the inherited ones win.
            if environment["ETCD_LOCK_KEY"] == nil { environment["ETCD_LOCK_KEY"] = String(decoding: mutex.key, as: UTF8.self) }
            if environment["ETCD_LOCK_REV"] == nil { environment["ETCD_LOCK_REV"] = String(mutex.header?.revision ?? 0) }
            let commandError = await CtlExec.run(command, environment: environment)
            var unlockError: (any Error)?
            do {
                try await mutex.unlock()
            } catch {
                unlockError = error
            }
            // etcdctl exits with the command's exit status (-1, so 255, when a signal ended it).
            if let commandError { throw CtlFailure(commandError.exitCode, commandError.text) }
            if let unlockError { throw unlockError }
            return
        }

        let key = mutex.key
        let held = try await interrupt.cancelling { try await client.range(key: key) }
        if held.kvs.isEmpty { throw CtlFailure(CtlExit.error, "lock lost on init") }
        try CtlRPC.printResult(held, printer, g)

        if await interrupt.waitOrSessionDone(session) {
            try await mutex.unlock()
            return
        }
        throw CtlFailure(CtlExit.error, "session expired")
    }

    // MARK: elect

    static func elect(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let args = p.positionals
        guard args.count == 1 || args.count == 2 else {
            throw CtlFailure(CtlExit.badArgs, "elect takes one election name argument and an optional proposal argument")
        }
        let listen = p.flag("listen")
        if args.count == 1 && !listen { throw CtlFailure(CtlExit.badArgs, "no proposal argument but -l not set") }
        if args.count == 2 && listen { throw CtlFailure(CtlExit.badArgs, "proposal given but -l is set") }
        let printer = try CtlPrinter(writeOut: CtlRPC.printerFormat(g), hex: g.hex)
        let client = try g.unlimitedClient()
        defer { CtlRPC.closeLater([client]) }
        do {
            if args.count == 1 {
                try await observe(client, name: args[0], printer: printer, g)
            } else {
                try await campaign(client, name: args[0], proposal: args[1], printer: printer, g)
            }
        } catch let failure as CtlFailure {
            throw failure
        } catch {
            throw failure(error, g)
        }
    }

    private static func observe(_ client: EtcdClient, name: String, printer: CtlPrinter, _ g: CtlGlobals) async throws {
        // etcdctl opens a session (a lease of 60 s, kept alive) even to observe.
        let session = try await EtcdSession.start(client: client)
        let election = EtcdElection(session: session, name: name)
        let interrupt = CtlInterrupt.install()
        let lost = CtlFailure(CtlExit.error, "elect: observer lost")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await leader in election.observe() { try CtlRPC.printResult(leader, printer, g) }
                if !interrupt.fired { throw lost }
            }
            group.addTask { await interrupt.wait() }
            try await group.next()
            group.cancelAll()
        }
    }

    private static func campaign(_ client: EtcdClient, name: String, proposal: String, printer: CtlPrinter,
                                 _ g: CtlGlobals) async throws {
        let session = try await EtcdSession.start(client: client)
        let election = EtcdElection(session: session, name: name)
        let interrupt = CtlInterrupt.install()
        try await interrupt.cancelling { try await election.campaign(Array(proposal.utf8)) }
        // Print the key since elected.
        let key = election.key
        let leader = try await interrupt.cancelling { try await client.range(key: key) }
        try CtlRPC.printResult(leader, printer, g)
        guard await interrupt.waitOrSessionDone(session) else {
            throw CtlFailure(CtlExit.error, "elect: session expired")
        }
        try await election.resign()
    }

    // MARK: Helpers

    /// An error as etcdctl prints it: cancellation is Go's `context canceled`.
    static func failure(_ error: any Error, _ g: CtlGlobals) -> CtlFailure {
        switch error {
        case is CancellationError: return CtlFailure(CtlExit.error, "context canceled")
        case let e as EtcdConcurrencyError: return CtlFailure(CtlExit.error, e.description)
        case let e as EtcdClientError where e.code == .cancelled: return CtlFailure(CtlExit.error, "context canceled")
        default: return CtlCommand.failure(error, endpoints: g.endpoints)
        }
    }

    /// A pflag int flag (`strconv.ParseInt(s, 0, 64)`), with pflag's error text.
    static func intFlag(_ p: CtlParsedArguments, _ name: String, default value: Int64) throws -> Int64 {
        guard let text = p.value(name) else { return value }
        do {
            return try GoParseInt.base0(text)
        } catch let reason as GoParseInt.Failure {
            throw CtlFailure(CtlExit.error, "invalid argument \(GoQuote.quote(text)) for \"--\(name)\" flag: "
                             + "strconv.ParseInt: parsing \(GoQuote.quote(text)): \(reason.text)")
        }
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)`: an optional sign, then `0x`/`0o`/`0b`/`0` prefixes choose
/// the base, underscores may separate digits.
enum GoParseInt {
    struct Failure: Error {
        var text: String
    }

    static func base0(_ s: String) throws -> Int64 {
        var body = Substring(s)
        var negative = false
        if body.hasPrefix("-") || body.hasPrefix("+") {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        var base = 10
        var digits = body
        let lower = body.lowercased()
        if lower.hasPrefix("0x") {
            base = 16
            digits = body.dropFirst(2)
        } else if lower.hasPrefix("0o") {
            base = 8
            digits = body.dropFirst(2)
        } else if lower.hasPrefix("0b") {
            base = 2
            digits = body.dropFirst(2)
        } else if body.hasPrefix("0") && body.count > 1 {
            base = 8
            digits = body.dropFirst()
        }
        // Underscores only between digits (or after a base prefix).
        let chars = Array(digits)
        var ok = !chars.isEmpty && chars.last != "_"
        if ok, chars.first == "_", base == 10 { ok = false }
        for i in chars.indices where chars[i] == "_" && i > 0 && chars[i - 1] == "_" { ok = false }
        let clean = digits.filter { $0 != "_" }
        guard ok, !clean.isEmpty, clean.allSatisfy({ $0.isASCII && $0.hexDigitValue.map { $0 < base } == true }) else {
            throw Failure(text: "invalid syntax")
        }
        guard let magnitude = UInt64(clean, radix: base) else { throw Failure(text: "value out of range") }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw Failure(text: "value out of range") }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw Failure(text: "value out of range") }
        return Int64(magnitude)
    }
}

/// etcdctl's `signal.Notify(sigc, SIGINT, SIGTERM)` and the context its handler cancels: once
/// installed, SIGINT and SIGTERM no longer end the process; the first one *fires* the interrupt
/// (later ones are ignored, as etcdctl reads its one-slot channel once).
final class CtlInterrupt: Sendable {
    private struct State {
        var fired = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var next: UInt64 = 0
    }

    private let state = Mutex(State())
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    private static let installLock = Mutex(())

    static func install(_ signals: [Int32] = [SIGINT, SIGTERM]) -> CtlInterrupt {
        let interrupt = CtlInterrupt()
        installLock.withLock { _ in
            for number in signals {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { interrupt.fire() }
                source.resume()
                sources.append(source)
            }
        }
        return interrupt
    }

    private func fire() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            if s.fired { return [] }
            s.fired = true
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    var fired: Bool { state.withLock { $0.fired } }

    /// Returns once a signal came (or the calling task is cancelled).
    func wait() async {
        let id = state.withLock { s -> UInt64 in
            s.next += 1
            return s.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if s.fired || Task.isCancelled { return true }
                    s.waiters[id] = c
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Runs `body` under the interrupt, as a Go call under the cancelled context: a signal
    /// cancels it (it then throws `CancellationError`); after a signal it does not run at all.
    func cancelling<R: Sendable>(_ body: @escaping @Sendable () async throws -> R) async throws -> R {
        if fired { throw CancellationError() }
        return try await withThrowingTaskGroup(of: R?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                await self.wait()
                if Task.isCancelled { return nil }
                throw CancellationError()
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let result = next { return result }
            }
            throw CancellationError()
        }
    }

    /// Waits for a signal (true) or for the session's end (false), whichever comes first.
    func waitOrSessionDone(_ session: EtcdSession) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.wait()
                return true
            }
            group.addTask {
                await session.waitUntilDone()
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}

/// Go's `exec.Command(name, args...).Run()` as etcdctl's `lock` uses it: stdin from /dev/null,
/// stdout and stderr shared, the environment given.
enum CtlExec {
    /// Why a command failed: Go's error text and the exit code etcdctl 3.5.1 then exits with.
    struct Failure: Error {
        var text: String
        /// The command's exit status; 255 (Go's -1) when a signal ended it; 1 when it did not run.
        var exitCode: Int32 = CtlExit.error
    }

    /// Runs the command; nil when it exited with 0.
    static func run(_ argv: [String], environment: [String: String]) async -> Failure? {
        var path = argv[0]
        // Go looks a name up in PATH when it is its own base name (`sh`, also `/`); `./x` and
        // `/bin/x` are run as they are.
        if goBase(path) == path {
            switch lookPath(path, environment["PATH"] ?? "") {
            case .success(let p): path = p
            case .failure(let e): return e
            }
        }
        let executable = path
        return await withCheckedContinuation { (c: CheckedContinuation<Failure?, Never>) in
            // waitpid blocks: a thread of its own, so the session's keep-alives go on meanwhile.
            let thread = Thread { c.resume(returning: spawnAndWait(executable, argv, environment)) }
            thread.start()
        }
    }

    /// Go's `filepath.Base`.
    static func goBase(_ path: String) -> String {
        if path.isEmpty { return "." }
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        if p == "/" { return "/" }
        if let slash = p.lastIndex(of: "/") { return String(p[p.index(after: slash)...]) }
        return String(p)
    }

    /// Go 1.16's `exec.LookPath`.
    static func lookPath(_ file: String, _ pathVariable: String) -> Result<String, Failure> {
        func fail(_ reason: String) -> Result<String, Failure> {
            .failure(Failure(text: "exec: \(GoQuote.quote(file)): \(reason)"))
        }
        if file.contains("/") {
            if let reason = findExecutable(file) { return fail(reason) }
            return .success(file)
        }
        for dir in pathVariable.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (dir.isEmpty ? "." : String(dir)) + (file.isEmpty ? "" : "/" + file)
            if findExecutable(candidate) == nil { return .success(candidate) }
        }
        return fail("executable file not found in $PATH")
    }

    /// nil when `file` is an executable file (not a directory), else Go's error text.
    private static func findExecutable(_ file: String) -> String? {
        var st = stat()
        if stat(file, &st) != 0 { return "stat \(file): \(String(cString: strerror(errno)).lowercased())" }
        if (st.st_mode & S_IFMT) != S_IFDIR && (st.st_mode & 0o111) != 0 { return nil }
        return "permission denied"
    }

    private static func spawnAndWait(_ path: String, _ argv: [String], _ environment: [String: String]) -> Failure? {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with default SIGINT/SIGTERM/SIGPIPE handling and nothing blocked, as a
        // child of Go's exec does (its signal handlers do not survive exec).
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)

        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = cArgs.withUnsafeBufferPointer { args in
            cEnv.withUnsafeBufferPointer { env in
                posix_spawn(&pid, path, &actions, &attributes,
                            UnsafeMutablePointer(mutating: args.baseAddress!), UnsafeMutablePointer(mutating: env.baseAddress!))
            }
        }
        if rc != 0 { return Failure(text: "fork/exec \(path): \(String(cString: strerror(rc)).lowercased())") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return Failure(text: "wait: \(String(cString: strerror(errno)).lowercased())") }
        }
        let signalled = status & 0x7f
        if signalled == 0 {
            let code = (status >> 8) & 0xff
            return code == 0 ? nil : Failure(text: "exit status \(code)", exitCode: code)
        }
        let core = status & 0x80 != 0
        return Failure(text: "signal: \(goSignalName(signalled))" + (core ? " (core dumped)" : ""), exitCode: 255)
    }

    /// Go's `syscall.Signal.String()` on Linux.
    static func goSignalName(_ n: Int32) -> String {
        let names: [Int32: String] = [
            1: "hangup", 2: "interrupt", 3: "quit", 4: "illegal instruction", 5: "trace/breakpoint trap",
            6: "aborted", 7: "bus error", 8: "floating point exception", 9: "killed", 10: "user defined signal 1",
            11: "segmentation fault", 12: "user defined signal 2", 13: "broken pipe", 14: "alarm clock",
            15: "terminated", 16: "stack fault", 17: "child exited", 18: "continued", 19: "stopped (signal)",
            20: "stopped", 21: "stopped (tty input)", 22: "stopped (tty output)", 23: "urgent I/O condition",
            24: "CPU time limit exceeded", 25: "file size limit exceeded", 26: "virtual timer expired",
            27: "profiling timer expired", 28: "window changed", 29: "I/O possible", 30: "power failure",
            31: "bad system call",
        ]
        return names[n] ?? "signal \(n)"
    }
}
