import Foundation
import KetchStore
import Logging

/// Writes objects into an MVCC store with create-if-absent transactions (`create_revision == 0`),
/// as kube-apiserver creates objects, so existing keys keep their value and revision.
struct RegistryPreloader {
    /// Objects per transaction: each is one nested create-if-absent txn, and etcd's default
    /// `--max-txn-ops` is 128. Batching keeps a full seed to a few commits (a few fsyncs).
    static let batchSize = 64

    let logger: Logger

    /// Returns how many keys were written.
    func preload(_ objects: [RegistryObject], into store: MVCCStore) async throws -> Int {
        var written = 0
        var start = 0
        while start < objects.count {
            let batch = objects[start..<min(start + Self.batchSize, objects.count)]
            start += batch.count
            let creates: [RequestOp] = try batch.map { o in
                let key = Data(o.key.utf8)
                return .txn(TxnRequest(
                    compare: [Compare(key: key, result: .equal, target: .createRevision(0))],
                    success: [.put(PutRequest(key: key, value: try o.value()))]))
            }
            let response = try await store.txn(TxnRequest(success: creates))
            for case .txn(let nested) in response.responses where nested.succeeded { written += 1 }
        }
        logger.debug("registry preload", metadata: ["written": "\(written)", "seed": "\(objects.count)"])
        return written
    }
}
