import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file writes that never expose a half-written file or a moment of wider permissions.
enum SecureFile {
    /// Writes `data` to `path` with `mode`: a temporary file in the same directory, created with
    /// that mode, synced, then renamed over the target. Parent directories are made with 0755.
    static func write(_ data: Data, to path: String, mode: mode_t) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try makeDirectory(directory)
        let temporary = directory + "/." + (path as NSString).lastPathComponent + ".tmp-" + UUID().uuidString
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure(path, "cannot create: ") }
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(temporary) }
        }
        // The umask may have narrowed the mode; a key file must end up exactly as asked.
        guard fchmod(fd, mode) == 0 else { throw failure(path, "cannot set mode: ") }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = posixWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw failure(path, "cannot write: ")
                }
                offset += n
            }
        }
        guard fsync(fd) == 0 else { throw failure(path, "cannot sync: ") }
        guard rename(temporary, path) == 0 else { throw failure(path, "cannot replace: ") }
        ok = true
    }

    /// Creates `path` and its parents (mode 0755) if missing.
    static func makeDirectory(_ path: String, mode: Int = 0o755) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
        } catch {
            throw BootstrapError.fileSystem(path: path, reason: "cannot create directory: \(error.localizedDescription)")
        }
    }

    private static func failure(_ path: String, _ what: String) -> BootstrapError {
        BootstrapError.fileSystem(path: path, reason: what + String(cString: strerror(errno)))
    }
}

/// `write(2)`, named apart from the many `write` methods in scope.
@inline(__always)
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}
