import EtcdProto
import Foundation
import GRPCCore
import KetchStore

/// etcd's Lease service over the store's leases.
public struct LeaseService: Etcdserverpb_Lease.ServiceProtocol {
    let context: EtcdServerContext

    public init(context: EtcdServerContext) {
        self.context = context
    }

    private func header() -> Etcdserverpb_ResponseHeader {
        context.header(revision: context.store.currentRevision)
    }

    /// The caller when auth is on (a bad token fails here), nil when it is off.
    private func caller(_ metadata: Metadata, _ peer: @autoclosure () -> String) throws -> AuthCaller? {
        guard context.auth.isEnabled else { return nil }
        return try context.auth.caller(metadata: metadata, remotePeer: peer())
    }

    public func leaseGrant(
        request: ServerRequest<Etcdserverpb_LeaseGrantRequest>, context rpc: ServerContext
    ) async throws -> ServerResponse<Etcdserverpb_LeaseGrantResponse> {
        try await answer(request, rpc, grant)
    }

    public func leaseRevoke(
        request: ServerRequest<Etcdserverpb_LeaseRevokeRequest>, context rpc: ServerContext
    ) async throws -> ServerResponse<Etcdserverpb_LeaseRevokeResponse> {
        try await answer(request, rpc, revoke)
    }

    /// Serves a gRPC call with a completion-based handler.
    private func answer<Request: Sendable, Response: Sendable>(
        _ request: ServerRequest<Request>, _ rpc: ServerContext,
        _ handler: (Request, Metadata, () -> String, @escaping @Sendable (Result<Response, any Error>) -> Void) -> Void
    ) async throws -> ServerResponse<Response> {
        let message = try await withCheckedThrowingContinuation { c in
            handler(request.message, request.metadata, { rpc.remotePeer }) { c.resume(with: $0) }
        }
        return ServerResponse(message: message)
    }

    // Grant and revoke answer through a completion so the unary fast path can run them from an
    // event loop; the gRPC methods above wrap them. `completion` runs exactly once.

    /// etcd checks only the token on grant.
    func grant(
        _ request: Etcdserverpb_LeaseGrantRequest, metadata: Metadata, peer: @autoclosure () -> String,
        completion: @escaping @Sendable (Result<Etcdserverpb_LeaseGrantResponse, any Error>) -> Void
    ) {
        do {
            _ = try caller(metadata, peer())
        } catch {
            return completion(.failure(Self.mapped(error)))
        }
        let server = context
        server.store.grantLease(id: request.id, ttl: request.ttl) { result in
            completion(result.map { lease in
                var out = Etcdserverpb_LeaseGrantResponse()
                out.header = server.header(revision: server.store.currentRevision)
                out.id = lease.id
                out.ttl = lease.grantedTTL
                return out
            }.mapError(Self.mapped))
        }
    }

    /// Revoking deletes the lease's keys, so etcd requires write permission on each of them.
    func revoke(
        _ request: Etcdserverpb_LeaseRevokeRequest, metadata: Metadata, peer: @autoclosure () -> String,
        completion: @escaping @Sendable (Result<Etcdserverpb_LeaseRevokeResponse, any Error>) -> Void
    ) {
        do {
            if let caller = try caller(metadata, peer()), let lease = context.store.leaseInfo(id: request.id) {
                for key in lease.keys { try context.auth.checkWrite(caller, key: key, rangeEnd: Data()) }
            }
        } catch {
            return completion(.failure(Self.mapped(error)))
        }
        let server = context
        server.store.revokeLease(id: request.id) { result in
            completion(result.map { revision in
                var out = Etcdserverpb_LeaseRevokeResponse()
                out.header = server.header(revision: revision)
                return out
            }.mapError(Self.mapped))
        }
    }

    /// Store errors as etcd's gRPC errors; anything else unchanged.
    private static func mapped(_ error: any Error) -> any Error {
        (error as? StoreError)?.rpcError ?? error
    }

    /// etcd answers a keep-alive for a missing or expired lease with TTL 0, not an error.
    public func leaseKeepAlive(
        request: StreamingServerRequest<Etcdserverpb_LeaseKeepAliveRequest>, context _: ServerContext
    ) async throws -> StreamingServerResponse<Etcdserverpb_LeaseKeepAliveResponse> {
        StreamingServerResponse { writer in
            for try await keepAlive in request.messages {
                var out = Etcdserverpb_LeaseKeepAliveResponse()
                out.id = keepAlive.id
                out.ttl = context.store.keepAliveLease(id: keepAlive.id) ?? 0
                out.header = header()
                try await writer.write(out)
            }
            return [:]
        }
    }

    /// etcd answers a time-to-live for a missing lease with TTL -1, not an error.
    public func leaseTimeToLive(
        request: ServerRequest<Etcdserverpb_LeaseTimeToLiveRequest>, context _: ServerContext
    ) async throws -> ServerResponse<Etcdserverpb_LeaseTimeToLiveResponse> {
        var out = Etcdserverpb_LeaseTimeToLiveResponse()
        out.header = header()
        out.id = request.message.id
        if let lease = context.store.leaseInfo(id: request.message.id) {
            out.ttl = lease.ttl
            out.grantedTtl = lease.grantedTTL
            if request.message.keys { out.keys = lease.keys }
        } else {
            out.ttl = -1
        }
        return ServerResponse(message: out)
    }

    public func leaseLeases(
        request: ServerRequest<Etcdserverpb_LeaseLeasesRequest>, context _: ServerContext
    ) async throws -> ServerResponse<Etcdserverpb_LeaseLeasesResponse> {
        var out = Etcdserverpb_LeaseLeasesResponse()
        out.header = header()
        out.leases = context.store.leaseIDs().map { id in
            var status = Etcdserverpb_LeaseStatus()
            status.id = id
            return status
        }
        return ServerResponse(message: out)
    }
}
