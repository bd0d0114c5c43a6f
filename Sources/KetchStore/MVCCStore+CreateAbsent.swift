import Foundation

extension MVCCStore {
    /// Nested creates per transaction in `createAbsent`: each is one nested txn, and etcd's
    /// default `--max-txn-ops` is 128. Batching keeps a large load to a few commits (a few fsyncs).
    public static let createAbsentBatchSize = 64

    /// Stores each key that does not exist yet (`create_revision == 0`, as kube-apiserver
    /// creates objects), leaving existing keys with their value and revision; a second call
    /// with the same keys writes nothing and keeps the revision.
    /// - Returns: how many keys were stored.
    public func createAbsent(_ entries: [(key: Data, value: Data)]) async throws -> Int {
        var written = 0
        var start = 0
        while start < entries.count {
            let batch = entries[start..<min(start + Self.createAbsentBatchSize, entries.count)]
            start += batch.count
            let creates: [RequestOp] = batch.map { entry in
                .txn(TxnRequest(
                    compare: [Compare(key: entry.key, result: .equal, target: .createRevision(0))],
                    success: [.put(PutRequest(key: entry.key, value: entry.value))]))
            }
            let response = try await txn(TxnRequest(success: creates))
            for case .txn(let nested) in response.responses where nested.succeeded { written += 1 }
        }
        return written
    }
}
