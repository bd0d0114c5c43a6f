import Foundation
import Synchronization

/// Unbuffered writes to stdout and stderr (a watch may be killed at any moment; nothing may stay in a buffer).
enum CtlIO {
    /// Where the current task's output goes instead of the process's stdout and stderr; unset
    /// (the real streams) except where a test runs a command with ``CtlCapture/run(_:)``.
    @TaskLocal static var capture: CtlCapture?

    static func out(_ text: String) {
        outBytes(Array(text.utf8))
    }

    static func outBytes(_ bytes: [UInt8]) {
        if let capture {
            capture.append(bytes, error: false)
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }

    static func err(_ text: String) {
        if let capture {
            capture.append(Array(text.utf8), error: true)
        } else {
            FileHandle.standardError.write(Data(text.utf8))
        }
    }
}

/// What ``CtlIO`` wrote while a capture was set: the test seam for observing a command's stdout
/// and stderr in-process (tasks a command starts inherit the capture; threads do not).
final class CtlCapture: Sendable {
    private let streams = Mutex<(out: [UInt8], err: [UInt8])>(([], []))

    /// The bytes written to stdout so far.
    var stdoutBytes: [UInt8] { streams.withLock { $0.out } }
    /// Stdout so far, as text.
    var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    /// Stderr so far, as text.
    var stderr: String { streams.withLock { String(decoding: $0.err, as: UTF8.self) } }

    fileprivate func append(_ bytes: [UInt8], error: Bool) {
        streams.withLock { s in
            if error { s.err += bytes } else { s.out += bytes }
        }
    }

    /// Runs `body` with ``CtlIO`` writing into this capture.
    func run<R>(_ body: () async throws -> R) async rethrows -> R {
        try await CtlIO.$capture.withValue(self) { try await body() }
    }
}
