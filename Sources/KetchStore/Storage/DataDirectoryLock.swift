import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on a file in the data directory, held while a store is open.
/// The kernel drops it when the process dies, so a crash never leaves a stale lock.
final class DataDirectoryLock: Sendable {
    private let descriptor: Mutex<Int32>

    init(path: String, dataDirectory: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError.unusableDataDirectory("cannot create lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw StoreError.unusableDataDirectory(
                "data dir \(dataDirectory) is in use by another process (lock \(path) is held); stop it first")
        }
        descriptor = Mutex(fd)
    }

    func release() {
        descriptor.withLock { fd in
            if fd >= 0 {
                flock(fd, LOCK_UN)
                close(fd)
                fd = -1
            }
        }
    }

    deinit { release() }
}
