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
    private func caller(_ metadata: Metadata, _ rpc: ServerContext) throws -> AuthCaller? {
        guard context.auth.isEnabled else { return nil }
        return try context.auth.caller(metadata: metadata, remotePeer: rpc.remotePeer)
    }

    /// etcd checks only the token on grant.
    public func leaseGrant(
        request: ServerRequest<Etcdserverpb_LeaseGrantRequest>, context rpc: ServerContext
    ) async throws -> ServerResponse<Etcdserverpb_LeaseGrantResponse> {
        try await mappingErrors {
            _ = try caller(request.metadata, rpc)
            let lease = try await context.store.grantLease(id: request.message.id, ttl: request.message.ttl)
            var out = Etcdserverpb_LeaseGrantResponse()
            out.header = header()
            out.id = lease.id
            out.ttl = lease.grantedTTL
            return ServerResponse(message: out)
        }
    }

    /// Revoking deletes the lease's keys, so etcd requires write permission on each of them.
    public func leaseRevoke(
        request: ServerRequest<Etcdserverpb_LeaseRevokeRequest>, context rpc: ServerContext
    ) async throws -> ServerResponse<Etcdserverpb_LeaseRevokeResponse> {
        try await mappingErrors {
            if let caller = try caller(request.metadata, rpc), let lease = context.store.leaseInfo(id: request.message.id) {
                for key in lease.keys { try context.auth.checkWrite(caller, key: key, rangeEnd: Data()) }
            }
            let revision = try await context.store.revokeLease(id: request.message.id)
            var out = Etcdserverpb_LeaseRevokeResponse()
            out.header = context.header(revision: revision)
            return ServerResponse(message: out)
        }
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
