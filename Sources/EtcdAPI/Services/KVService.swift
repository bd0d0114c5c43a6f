import GRPCCore
import KetchStore
import SwiftProtobuf

/// etcd's KV service over the MVCC store.
public struct KVService: Etcdserverpb_KV.SimpleServiceProtocol {
    let context: EtcdServerContext

    public init(context: EtcdServerContext) {
        self.context = context
    }

    public func range(request: Etcdserverpb_RangeRequest, context _: ServerContext) async throws -> Etcdserverpb_RangeResponse {
        try await mappingErrors {
            let response = try context.store.range(RangeRequest(wire: request))
            return Etcdserverpb_RangeResponse(response, header: context.header(revision: response.revision))
        }
    }

    public func put(request: Etcdserverpb_PutRequest, context _: ServerContext) async throws -> Etcdserverpb_PutResponse {
        try await mappingErrors {
            try checkSize(request)
            let response = try await context.store.put(PutRequest(wire: request))
            return Etcdserverpb_PutResponse(response, header: context.header(revision: response.revision))
        }
    }

    public func deleteRange(request: Etcdserverpb_DeleteRangeRequest, context _: ServerContext) async throws -> Etcdserverpb_DeleteRangeResponse {
        try await mappingErrors {
            try checkSize(request)
            let response = try await context.store.deleteRange(DeleteRangeRequest(wire: request))
            return Etcdserverpb_DeleteRangeResponse(response, header: context.header(revision: response.revision))
        }
    }

    public func txn(request: Etcdserverpb_TxnRequest, context _: ServerContext) async throws -> Etcdserverpb_TxnResponse {
        try await mappingErrors {
            let txn = try TxnRequest(wire: request)
            if !txn.isReadOnly { try checkSize(request) }
            let response = try await context.store.txn(txn)
            return Etcdserverpb_TxnResponse(response, header: context.header(revision: response.revision))
        }
    }

    public func compact(request: Etcdserverpb_CompactionRequest, context _: ServerContext) async throws -> Etcdserverpb_CompactionResponse {
        try await mappingErrors {
            // Ketch always compacts physically before answering, which satisfies `physical` too.
            let response = try await context.store.compact(revision: request.revision)
            var out = Etcdserverpb_CompactionResponse()
            out.header = context.header(revision: response.revision)
            return out
        }
    }

    /// etcd refuses a write whose raft entry would exceed `--max-request-bytes`; the entry is the
    /// request plus a small header.
    private func checkSize(_ request: some SwiftProtobuf.Message) throws {
        let raftHeaderBytes = 16
        let size = ((try? request.serializedBytes() as [UInt8])?.count ?? 0) + raftHeaderBytes
        if size > context.maxRequestBytes { throw StoreError.requestTooLarge }
    }
}
