import Foundation

/// Writes files so a reader (or a crash) sees either nothing or the whole file, never a
/// partial one, with the permission bits set from the start.
enum AtomicFile {
    /// Writes `data` to `path` with `mode`.
    ///
    /// The bytes go to a temporary file in the same directory, are flushed, then moved in
    /// place: with `replace` by `rename` (atomic overwrite), without it by `link`, which
    /// fails if `path` exists, so an existing key or certificate is never clobbered even by
    /// a concurrent writer.
    static func write(_ data: Data, to path: String, mode: mode_t, replace: Bool) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try makeDirectories(directory, mode: 0o755)
        var template = Array("\(directory)/.\((path as NSString).lastPathComponent).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw failure(path, "cannot create a temporary file") }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var linked = false
        defer { if !linked { unlink(temporary) } }

        do {
            defer { close(descriptor) }
            // fchmod, not the creation mode, so the umask cannot loosen or tighten it.
            guard fchmod(descriptor, mode) == 0 else { throw failure(path, "fchmod") }
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0, errno == EINTR { continue }
                    guard written > 0 else { throw failure(path, "write") }
                    offset += written
                }
            }
            guard fsync(descriptor) == 0 else { throw failure(path, "fsync") }
        }

        if replace {
            guard rename(temporary, path) == 0 else { throw failure(path, "rename") }
            linked = true
        } else if link(temporary, path) != 0 {
            if errno == EEXIST { throw PKIError.alreadyExists(path: path) }
            throw failure(path, "link")
        }
        syncDirectory(directory)
    }

    /// Creates `path` and missing parents with `mode` (kubeadm uses 0755 for the cert dirs);
    /// existing directories keep their mode.
    static func makeDirectories(_ path: String, mode: mode_t) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw PKIError.writeFailed(path: path, reason: "exists and is not a directory") }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try makeDirectories(parent, mode: mode) }
        if mkdir(path, mode) != 0, errno != EEXIST { throw failure(path, "mkdir") }
        chmod(path, mode)
    }

    /// Flushes the directory entry so a completed rename/link survives a crash.
    private static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private static func failure(_ path: String, _ call: String) -> PKIError {
        .writeFailed(path: path, reason: "\(call): \(String(cString: strerror(errno)))")
    }
}
