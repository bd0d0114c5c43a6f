import Foundation

/// A point-in-time copy of the whole store, read back in chunks (for etcd's Snapshot stream).
///
/// The copy's file is unlinked as soon as it is open, so it never outlives the snapshot,
/// not even across a crash; reading it does not hold up writers.
public final class StoreSnapshot: @unchecked Sendable {
    /// Bytes in the copy.
    public let size: Int64
    /// The newest revision the copy holds.
    public let revision: Int64
    private let handle: FileHandle

    init(path: String, revision: Int64) throws {
        defer { unlink(path) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.storageFailure("cannot open snapshot copy \(path)")
        }
        self.handle = handle
        self.size = Int64(try handle.seekToEnd())
        try handle.seek(toOffset: 0)
        self.revision = revision
    }

    deinit { try? handle.close() }

    /// The next at most `count` bytes; empty once everything was read.
    public func read(upTo count: Int) throws -> Data {
        try handle.read(upToCount: count) ?? Data()
    }
}
