import EtcdProto
import Foundation
import GRPCCore

/// One message of a Maintenance.Snapshot stream.
public struct EtcdSnapshotChunk: Sendable {
    /// Bytes of the snapshot in this message (the last message carries the SHA-256 digest).
    public var blob: Data
    /// Bytes still to come after this message, as the server counts them (etcd sends the
    /// digest after a message that says 0).
    public var remainingBytes: UInt64
    /// The header, when the server sent one (Ketch fills the first message's; etcd 3.5 never does).
    public var header: EtcdResponseHeader?
}

extension EtcdClient {
    /// Streams a snapshot of the member's whole backend, handing each message to `receive` in
    /// order; returns the number of bytes received. Concatenated, the blobs are the snapshot
    /// file etcdctl saves: the database, then its SHA-256.
    ///
    /// `timeout` bounds the whole transfer (nil: none, as etcdctl without `--command-timeout`).
    @discardableResult
    public func snapshot(timeout: Duration? = nil,
                         _ receive: @escaping @Sendable (EtcdSnapshotChunk) async throws -> Void) async throws -> Int64 {
        try await unary(idempotent: false) { conn, metadata, options in
            var callOptions = options
            callOptions.timeout = timeout
            let request = ClientRequest(message: Etcdserverpb_SnapshotRequest(), metadata: metadata)
            return try await conn.maintenance.snapshot(request: request, options: callOptions) { response in
                var total: Int64 = 0
                for try await message in response.messages {
                    total += Int64(message.blob.count)
                    try await receive(EtcdSnapshotChunk(
                        blob: message.blob, remainingBytes: message.remainingBytes,
                        header: message.hasHeader ? EtcdResponseHeader(message.header) : nil))
                }
                return total
            }
        }
    }
}
