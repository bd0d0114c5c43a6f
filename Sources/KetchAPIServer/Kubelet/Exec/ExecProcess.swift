import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A chunk of a process's output, in the order it was read.
public enum ExecOutput: Sendable, Equatable {
    case stdout([UInt8])
    case stderr([UInt8])
}

/// A local process started for `kubectl exec`, with its streams exposed for the session: output
/// as it arrives, stdin fed on demand, an optional terminal, and the exit code.
///
/// Uses Foundation `Process` with raw pipe descriptors (close-on-exec, so concurrent execs do not
/// inherit each other's pipes and every stream sees EOF when its own process ends). Reads block,
/// so each output descriptor has its own thread.
public final class ExecProcess: Sendable {
    /// Everything the process writes; finishes when all its outputs are closed.
    public let output: AsyncStream<ExecOutput>
    /// The process id.
    public let pid: Int32

    /// Set once: the exit code (128+N after signal N, as container runtimes report it).
    private let exitState = LockedValue<(code: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))
    /// Where stdin bytes go (pipe write end, or the terminal master); nil without stdin or once closed.
    private let stdinDescriptor: LockedValue<Int32?>
    /// The terminal master when the process has a terminal (also the output descriptor).
    private let terminal: Int32?
    /// Serializes blocking stdin writes off the caller's thread.
    private let stdinQueue = DispatchQueue(label: "ketch.exec.stdin")
    /// Keeps the Process alive until it ends (its termination handler reports the exit).
    private let process: ProcessBox

    /// Why a process could not be started, worded as the Go runtime/runc word it.
    public enum LaunchError: Error, Equatable, CustomStringConvertible {
        /// The command is not on PATH (or the path does not exist).
        case notFound(String)
        /// The file exists but cannot be executed.
        case permissionDenied(String)
        /// Any other spawn failure.
        case failed(String)

        /// `exec: "foo": executable file not found in $PATH` and the like.
        public var description: String {
            switch self {
            case .notFound(let c):
                return c.contains("/") ? "exec: \"\(c)\": stat \(c): no such file or directory"
                    : "exec: \"\(c)\": executable file not found in $PATH"
            case .permissionDenied(let c): return "exec: \"\(c)\": permission denied"
            case .failed(let why): return why
            }
        }
    }

    /// Starts `executable` with `arguments` (argv[1...]).
    /// - Parameters:
    ///   - stdin: give the process a stdin the caller feeds; otherwise it reads /dev/null.
    ///   - stdout, stderr: which outputs to capture; uncaptured ones go to /dev/null.
    ///   - tty: run on a new pseudo-terminal (stdin, stdout and stderr all on it, output as stdout).
    ///   - terminalSize: the terminal's size at start (columns, rows). The process has no
    ///     controlling terminal, so it gets no SIGWINCH for later `resize` calls; programs that
    ///     size themselves at start see this one.
    public init(executable: URL, arguments: [String], environment: [String: String], directory: URL,
                stdin: Bool, stdout: Bool, stderr: Bool, tty: Bool, terminalSize: (width: Int, height: Int) = (80, 24)) throws {
        Self.ignoreSIGPIPE
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory

        var childEnds: [Int32] = []
        var readers: [(Int32, Bool)] = [] // descriptor, is stderr
        var stdinFD: Int32?
        var terminalFD: Int32?
        func cleanup() {
            childEnds.forEach { _ = close($0) }
            readers.forEach { _ = close($0.0) }
            if let stdinFD, stdinFD != terminalFD { _ = close(stdinFD) }
        }
        do {
            if tty {
                let (master, slave) = try Self.openTerminal()
                terminalFD = master
                Self.setSize(master, width: terminalSize.width, height: terminalSize.height)
                childEnds.append(slave)
                let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
                process.standardInput = stdin ? handle : FileHandle.nullDevice
                process.standardOutput = handle
                process.standardError = handle
                readers.append((master, false))
                if stdin { stdinFD = master }
            } else {
                if stdin {
                    let (read, write) = try Self.makePipe()
                    childEnds.append(read)
                    stdinFD = write
                    process.standardInput = FileHandle(fileDescriptor: read, closeOnDealloc: false)
                } else {
                    process.standardInput = FileHandle.nullDevice
                }
                for (wanted, isStderr) in [(stdout, false), (stderr, true)] {
                    if wanted {
                        let (read, write) = try Self.makePipe()
                        childEnds.append(write)
                        readers.append((read, isStderr))
                        let handle = FileHandle(fileDescriptor: write, closeOnDealloc: false)
                        if isStderr { process.standardError = handle } else { process.standardOutput = handle }
                    } else if isStderr {
                        process.standardError = FileHandle.nullDevice
                    } else {
                        process.standardOutput = FileHandle.nullDevice
                    }
                }
            }
        } catch {
            cleanup()
            throw error
        }

        let exit = self.exitState
        process.terminationHandler = { p in
            let code = p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus
            let waiters = exit.withLock { state -> [CheckedContinuation<Int32, Never>] in
                state.code = code
                defer { state.waiters = [] }
                return state.waiters
            }
            waiters.forEach { $0.resume(returning: code) }
        }
        do {
            try process.run()
        } catch {
            cleanup()
            throw LaunchError.failed("\(error)")
        }
        // The child has its copies; ours must go so the readers see EOF when the child exits.
        childEnds.forEach { _ = close($0) }

        self.pid = process.processIdentifier
        self.process = ProcessBox(process)
        self.terminal = terminalFD
        self.stdinDescriptor = LockedValue(stdinFD)
        let (stream, continuation) = AsyncStream<ExecOutput>.makeStream()
        self.output = stream
        Self.startReaders(readers, continuation: continuation, terminal: terminalFD)
    }

    deinit {
        stdinDescriptor.withLock { fd in
            if let descriptor = fd, descriptor != terminal { _ = close(descriptor) }
            fd = nil
        }
        // The terminal master is shared by the reader and stdin, so it is closed only here.
        if let terminal { _ = close(terminal) }
    }

    /// Waits for the process to end; returns its exit code.
    public func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let code = exitState.withLock { state -> Int32? in
                if let code = state.code { return code }
                state.waiters.append(continuation)
                return nil
            }
            if let code { continuation.resume(returning: code) }
        }
    }

    /// The exit code once the process has ended.
    public var exitCode: Int32? { exitState.withLock { $0.code } }

    /// Queues bytes for the process's stdin (dropped when stdin is closed or was not asked for).
    public func writeStdin(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        stdinQueue.async { [self] in
            // Held across the write so closeStdin cannot close the descriptor mid-write.
            stdinDescriptor.withLock { fd in
                guard let descriptor = fd else { return }
                if !Self.writeAll(descriptor, bytes) {
                    if descriptor != terminal { _ = close(descriptor) }
                    fd = nil // the reader went away (EPIPE): further input has nowhere to go
                }
            }
        }
    }

    /// Ends stdin once the queued bytes are written: the process reads EOF. On a terminal, EOF
    /// is the EOT character (^D) the line discipline turns into end of input.
    public func closeStdin() {
        stdinQueue.async { [self] in
            stdinDescriptor.withLock { fd in
                guard let descriptor = fd else { return }
                if descriptor == terminal {
                    _ = Self.writeAll(descriptor, [4])
                } else {
                    _ = close(descriptor)
                }
                fd = nil
            }
        }
    }

    /// Sets the terminal size (`resize` channel); ignored without a terminal.
    public func resize(width: Int, height: Int) {
        guard let terminal else { return }
        Self.setSize(terminal, width: width, height: height)
    }

    private static func setSize(_ terminal: Int32, width: Int, height: Int) {
        guard width > 0, height > 0 else { return }
        var size = winsize(ws_row: UInt16(clamping: height), ws_col: UInt16(clamping: width), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(terminal, UInt(TIOCSWINSZ), &size)
    }

    /// Sends SIGTERM, then SIGKILL after `grace` if it is still running (client went away).
    public func terminate(grace: Duration = .seconds(2)) {
        guard exitCode == nil else { return }
        let pid = self.pid
        _ = kill(pid, SIGTERM)
        let exit = self.exitState
        Task {
            try? await Task.sleep(for: grace)
            if exit.withLock({ $0.code }) == nil { _ = kill(pid, SIGKILL) }
        }
    }

    // MARK: - Descriptors

    /// SIGPIPE would kill the whole server when a process exits before taking its stdin; with it
    /// ignored, the write fails with EPIPE instead. Evaluated once.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw LaunchError.failed("pipe: \(String(cString: strerror(errno)))") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return (fds[0], fds[1])
    }

    /// Linux `TIOCSPTLCK` and `TIOCGPTN` (not imported from the C headers: they are `_IOW`/`_IOR`
    /// macros), the same on x86-64 and arm64.
    private static let unlockTerminal: UInt = 0x4004_5431
    private static let terminalNumber: UInt = 0x8004_5430

    /// A new pseudo-terminal pair from /dev/ptmx: (master, slave).
    private static func openTerminal() throws -> (Int32, Int32) {
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw LaunchError.failed("open /dev/ptmx: \(String(cString: strerror(errno)))") }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, unlockTerminal, &unlock) == 0, ioctl(master, terminalNumber, &number) == 0 else {
            _ = close(master)
            throw LaunchError.failed("pseudo-terminal setup failed: \(String(cString: strerror(errno)))")
        }
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else {
            _ = close(master)
            throw LaunchError.failed("open /dev/pts/\(number): \(String(cString: strerror(errno)))")
        }
        return (master, slave)
    }

    /// One thread per output descriptor, each yielding chunks until EOF (or EIO: a terminal
    /// whose last user closed it); the stream finishes when all are done.
    private static func startReaders(_ readers: [(Int32, Bool)], continuation: AsyncStream<ExecOutput>.Continuation,
                                     terminal: Int32?) {
        guard !readers.isEmpty else {
            continuation.finish()
            return
        }
        let open = LockedValue(readers.count)
        for (descriptor, isStderr) in readers {
            let thread = Thread {
                var buffer = [UInt8](repeating: 0, count: 32 * 1024)
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { break }
                    let chunk = Array(buffer[0..<n])
                    continuation.yield(isStderr ? .stderr(chunk) : .stdout(chunk))
                }
                if descriptor != terminal { _ = close(descriptor) }
                if open.withLock({ $0 -= 1; return $0 }) == 0 { continuation.finish() }
            }
            thread.name = "ketch-exec-output"
            thread.start()
        }
    }

    /// Writes every byte, retrying short writes; false when the descriptor is gone.
    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }
}

/// `Process` is a reference type Foundation does not mark Sendable; it is only touched at
/// launch and by its own termination handler, so sharing the reference is safe.
private final class ProcessBox: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}

/// A `Mutex` in a class, so closures and threads can share it (a `Mutex` itself cannot be copied
/// into an escaping closure).
final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<Result>(_ body: (inout sending Value) -> sending Result) -> sending Result {
        mutex.withLock(body)
    }
}

extension ExecProcess {
    /// Waits for the exit (terminating the process if the session's task is cancelled), then
    /// lets `output`, the task forwarding the process's output, deliver what is still in the
    /// pipes. A background child holding the pipes open must not keep the session alive, so the
    /// drain is bounded; returns the exit code.
    func finish(forwarding output: Task<Void, Never>) async -> Int32 {
        let code = await withTaskCancellationHandler {
            await waitForExit()
        } onCancel: {
            terminate()
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await output.value }
            group.addTask { try? await Task.sleep(for: .seconds(2)) }
            await group.next()
            group.cancelAll()
        }
        output.cancel()
        await output.value
        return code
    }
}
