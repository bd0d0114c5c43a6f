import EtcdProto
import Foundation
import GRPCCore
import KetchStore
import SwiftProtobuf

/// etcd's KV service over the MVCC store, with etcd's auth checks.
///
/// With auth on, each request is checked in etcd's order: its own validity, then the caller's
/// token, then (for writes) its size, then key permissions. With auth off the checks cost one
/// atomic load.
public struct KVService: Etcdserverpb_KV.ServiceProtocol {
    let context: EtcdServerContext

    public init(context: EtcdServerContext) {
        self.context = context
    }

    private var gate: AuthGate { context.auth }

    // MARK: gRPC entry points (metadata carries the auth token)

    public func range(request: ServerRequest<Etcdserverpb_RangeRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_RangeResponse> {
        ServerResponse(message: try await range(request.message, metadata: request.metadata, peer: rpc.remotePeer))
    }

    public func put(request: ServerRequest<Etcdserverpb_PutRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_PutResponse> {
        ServerResponse(message: try await put(request.message, metadata: request.metadata, peer: rpc.remotePeer))
    }

    public func deleteRange(request: ServerRequest<Etcdserverpb_DeleteRangeRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_DeleteRangeResponse> {
        ServerResponse(message: try await deleteRange(request.message, metadata: request.metadata, peer: rpc.remotePeer))
    }

    public func txn(request: ServerRequest<Etcdserverpb_TxnRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_TxnResponse> {
        ServerResponse(message: try await txn(request.message, metadata: request.metadata, peer: rpc.remotePeer))
    }

    public func compact(request: ServerRequest<Etcdserverpb_CompactionRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_CompactionResponse> {
        ServerResponse(message: try await compact(request.message, metadata: request.metadata, peer: rpc.remotePeer))
    }

    // MARK: In-process entry points (no metadata: no token)

    public func range(request: Etcdserverpb_RangeRequest, context rpc: ServerContext) async throws -> Etcdserverpb_RangeResponse {
        try await range(request, metadata: [:], peer: rpc.remotePeer)
    }

    public func put(request: Etcdserverpb_PutRequest, context rpc: ServerContext) async throws -> Etcdserverpb_PutResponse {
        try await put(request, metadata: [:], peer: rpc.remotePeer)
    }

    public func deleteRange(request: Etcdserverpb_DeleteRangeRequest, context rpc: ServerContext) async throws -> Etcdserverpb_DeleteRangeResponse {
        try await deleteRange(request, metadata: [:], peer: rpc.remotePeer)
    }

    public func txn(request: Etcdserverpb_TxnRequest, context rpc: ServerContext) async throws -> Etcdserverpb_TxnResponse {
        try await txn(request, metadata: [:], peer: rpc.remotePeer)
    }

    public func compact(request: Etcdserverpb_CompactionRequest, context rpc: ServerContext) async throws -> Etcdserverpb_CompactionResponse {
        try await compact(request, metadata: [:], peer: rpc.remotePeer)
    }

    // MARK: Handlers

    func range(_ request: Etcdserverpb_RangeRequest, metadata: Metadata, peer: String) async throws -> Etcdserverpb_RangeResponse {
        try rangeNow(request, metadata: metadata, peer: peer)
    }

    /// A range answered on the caller's thread: reads never wait, so the unary fast path can
    /// answer them on the connection's event loop.
    func rangeNow(_ request: Etcdserverpb_RangeRequest, metadata: Metadata, peer: @autoclosure () -> String) throws -> Etcdserverpb_RangeResponse {
        do {
            let r = try RangeRequest(wire: request)
            if let caller = try caller(metadata, peer(), validate: { try context.store.validate(r) }) {
                try gate.checkRead(caller, key: request.key, rangeEnd: request.rangeEnd)
            }
            let response = try context.store.range(r)
            return Etcdserverpb_RangeResponse(response, header: context.header(revision: response.revision))
        } catch let error as StoreError {
            throw error.rpcError
        }
    }

    func put(_ request: Etcdserverpb_PutRequest, metadata: Metadata, peer: String) async throws -> Etcdserverpb_PutResponse {
        try await withCheckedThrowingContinuation { c in put(request, metadata: metadata, peer: peer) { c.resume(with: $0) } }
    }

    func deleteRange(_ request: Etcdserverpb_DeleteRangeRequest, metadata: Metadata, peer: String) async throws -> Etcdserverpb_DeleteRangeResponse {
        try await withCheckedThrowingContinuation { c in deleteRange(request, metadata: metadata, peer: peer) { c.resume(with: $0) } }
    }

    func txn(_ request: Etcdserverpb_TxnRequest, metadata: Metadata, peer: String) async throws -> Etcdserverpb_TxnResponse {
        try await withCheckedThrowingContinuation { c in txn(request, metadata: metadata, peer: peer) { c.resume(with: $0) } }
    }

    // The writes answer through a completion so the unary fast path can run them from an event
    // loop without a task; the async forms above wrap them. `completion` runs exactly once.

    func put(
        _ request: Etcdserverpb_PutRequest, metadata: Metadata, peer: @autoclosure () -> String,
        completion: @escaping @Sendable (Result<Etcdserverpb_PutResponse, any Error>) -> Void
    ) {
        let r = PutRequest(wire: request)
        do {
            let caller = try caller(metadata, peer(), validate: { try context.store.validate(r) })
            try checkPutSize(request)
            if let caller {
                try gate.checkWrite(caller, key: request.key, rangeEnd: Data())
                // etcd's `checkLeasePuts`: attaching to a lease needs write access to the keys it
                // already holds, since whoever may revoke it deletes them.
                if request.lease != 0, let lease = context.store.leaseInfo(id: request.lease) {
                    for key in lease.keys { try gate.checkWrite(caller, key: key, rangeEnd: Data()) }
                }
                if request.prevKv { try gate.checkRead(caller, key: request.key, rangeEnd: Data()) }
            }
        } catch {
            return completion(.failure(Self.mapped(error)))
        }
        let server = context
        server.store.put(r) { result in
            completion(result.map { Etcdserverpb_PutResponse($0, header: server.header(revision: $0.revision)) }.mapError(Self.mapped))
        }
    }

    func deleteRange(
        _ request: Etcdserverpb_DeleteRangeRequest, metadata: Metadata, peer: @autoclosure () -> String,
        completion: @escaping @Sendable (Result<Etcdserverpb_DeleteRangeResponse, any Error>) -> Void
    ) {
        let r = DeleteRangeRequest(wire: request)
        do {
            let caller = try caller(metadata, peer(), validate: { try context.store.validate(r) })
            try checkSize(request)
            if let caller {
                try gate.checkWrite(caller, key: request.key, rangeEnd: request.rangeEnd)
                if request.prevKv { try gate.checkRead(caller, key: request.key, rangeEnd: request.rangeEnd) }
            }
        } catch {
            return completion(.failure(Self.mapped(error)))
        }
        let server = context
        server.store.deleteRange(r) { result in
            completion(result.map { Etcdserverpb_DeleteRangeResponse($0, header: server.header(revision: $0.revision)) }.mapError(Self.mapped))
        }
    }

    func txn(
        _ request: Etcdserverpb_TxnRequest, metadata: Metadata, peer: @autoclosure () -> String,
        completion: @escaping @Sendable (Result<Etcdserverpb_TxnResponse, any Error>) -> Void
    ) {
        let txn: TxnRequest
        do {
            txn = try TxnRequest(wire: request)
            let caller = try caller(metadata, peer(), validate: { try context.store.validate(txn) })
            if !txn.isReadOnly { try checkSize(request) }
            if let caller { try checkTxn(request, caller) }
        } catch {
            return completion(.failure(Self.mapped(error)))
        }
        let server = context
        server.store.txn(txn) { result in
            completion(result.map { Etcdserverpb_TxnResponse($0, header: server.header(revision: $0.revision)) }.mapError(Self.mapped))
        }
    }

    /// Store errors as etcd's gRPC errors; anything else unchanged.
    private static func mapped(_ error: any Error) -> any Error {
        (error as? StoreError)?.rpcError ?? error
    }

    func compact(_ request: Etcdserverpb_CompactionRequest, metadata: Metadata, peer: String) async throws -> Etcdserverpb_CompactionResponse {
        try await mappingErrors {
            // etcd 3.5 checks only that a given token is valid: any user may compact.
            _ = try caller(metadata, peer, validate: {})
            // Ketch always compacts physically before answering, which satisfies `physical` too.
            let response = try await context.store.compact(revision: request.revision)
            var out = Etcdserverpb_CompactionResponse()
            out.header = context.header(revision: response.revision)
            return out
        }
    }

    // MARK: Auth

    /// The caller when auth is on (after `validate`, so malformed requests get their own error
    /// first, as in etcd); nil when auth is off and nothing needs checking.
    private func caller(_ metadata: Metadata, _ peer: @autoclosure () -> String, validate: () throws -> Void) throws -> AuthCaller? {
        guard gate.isEnabled else { return nil }
        try validate()
        return try gate.caller(metadata: metadata, remotePeer: peer())
    }

    /// etcd's `checkTxnAuth`: read access for every compare, and for each operation of both
    /// branches the access it needs. Unlike etcd 3.5.1, nested txns are checked too; etcd does
    /// not look inside them, which would let a nested txn bypass permissions.
    private func checkTxn(_ txn: Etcdserverpb_TxnRequest, _ caller: AuthCaller) throws {
        for compare in txn.compare {
            try gate.checkRead(caller, key: compare.key, rangeEnd: compare.rangeEnd)
        }
        for op in txn.success { try checkOp(op, caller) }
        for op in txn.failure { try checkOp(op, caller) }
    }

    private func checkOp(_ op: Etcdserverpb_RequestOp, _ caller: AuthCaller) throws {
        switch op.request {
        case .requestRange(let r):
            try gate.checkRead(caller, key: r.key, rangeEnd: r.rangeEnd)
        case .requestPut(let p):
            try gate.checkWrite(caller, key: p.key, rangeEnd: Data())
        case .requestDeleteRange(let d):
            if d.prevKv { try gate.checkRead(caller, key: d.key, rangeEnd: d.rangeEnd) }
            try gate.checkWrite(caller, key: d.key, rangeEnd: d.rangeEnd)
        case .requestTxn(let nested):
            try checkTxn(nested, caller)
        case nil:
            break
        }
    }

    /// etcd refuses a write whose raft entry would exceed `--max-request-bytes`; the entry is the
    /// request plus a small header.
    private func checkSize(_ request: some SwiftProtobuf.Message) throws {
        let size = ((try? request.serializedBytes() as [UInt8])?.count ?? 0) + Self.raftHeaderBytes
        if size > context.maxRequestBytes { throw StoreError.requestTooLarge }
    }

    private static let raftHeaderBytes = 16
    /// The most a put encodes to beyond its key, value and unknown fields: two tags with 5-byte
    /// lengths, the lease (tag + 10-byte varint) and three bools (tag + 1 byte each).
    private static let putFieldBytes = 2 * (1 + 5) + (1 + 10) + 3 * 2

    /// `checkSize` for puts without encoding the request again just to count its bytes (an
    /// allocation and a copy of the value on every put) when an upper bound already fits.
    private func checkPutSize(_ request: Etcdserverpb_PutRequest) throws {
        let bound = request.key.count + request.value.count + request.unknownFields.data.count + Self.putFieldBytes
        if bound + Self.raftHeaderBytes <= context.maxRequestBytes { return }
        try checkSize(request)
    }
}
