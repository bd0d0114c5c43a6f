import Foundation
import KetchBootstrap
import KetchStore

/// `ketch init`'s registry phase writes the seed straight into the state directory's store,
/// before `ketch etcd` serves it.
struct StoreSeedSink: RegistrySeedSink {
    let store: MVCCStore

    func createAbsent(_ entries: [RegistrySeedEntry]) async throws -> Int {
        try await store.createAbsent(entries.map { (key: Data($0.key.utf8), value: $0.value) })
    }
}
