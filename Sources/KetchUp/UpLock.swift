import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One `ketch up` per state directory: an exclusive `flock` on `STATE/run/up.pid`, which also
/// holds the owner's pid for the message a second `ketch up` prints.
///
/// etcd's data-dir lock would refuse a second run too, but only after init checks and a child
/// start, and with a message about etcd rather than about `ketch up`. The kernel drops the lock
/// when the process ends however it ends, so a stale pid file never blocks a new run.
public final class UpLock: Sendable {
    /// The pid file.
    public let path: String
    private let fd: Int32

    /// Takes the lock or throws, naming the `ketch up` that holds it.
    public init(runDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        path = runDirectory + "/up.pid"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw UpError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            let who = holder.flatMap { $0.isEmpty ? nil : "(pid \($0)) " } ?? ""
            throw UpError("""
                another `ketch up` \(who)is already running on the state directory \((runDirectory as NSString).deletingLastPathComponent) \
                (it holds \(path)); stop it first (Ctrl-C in its terminal\(holder.map { $0.isEmpty ? "" : ", or kill \($0)" } ?? ""))
                """)
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
    }

    /// Empties the pid file and lets go of the lock. The file stays: removing it would let two
    /// runs lock two different files of the same name.
    public func release() {
        _ = ftruncate(fd, 0)
        _ = flock(fd, LOCK_UN)
        close(fd)
    }
}
