import Foundation
import KetchBootstrap

/// A key space in memory with create-if-absent writes, standing in for the store `ketch init`
/// fills and the etcd the apiserver seeds.
final class MemorySeedSink: RegistrySeedSink {
    /// What is stored, by key.
    private(set) var values: [String: Data] = [:]
    /// Bumped by every call that stores something, as a store's revision is by a write.
    private(set) var revision = 0

    func createAbsent(_ entries: [RegistrySeedEntry]) async throws -> Int {
        var written = 0
        for entry in entries where values[entry.key] == nil {
            values[entry.key] = entry.value
            written += 1
        }
        if written > 0 { revision += 1 }
        return written
    }
}
