import EtcdProto
import Foundation
import GRPCCore

/// Every unary etcd RPC with its wire messages, for callers that need fields or flags the typed
/// API does not carry, or the exact response (etcdctl's `-w json|protobuf` printers).
///
/// `try await client.rpc(Etcdserverpb_AuthStatusRequest())`: the overload is chosen by the
/// request's type. Failover, re-authentication and error mapping are those of the typed calls;
/// reads are retried once on a new connection, writes are not.
extension EtcdClient {
    public func rpc(_ request: Etcdserverpb_RangeRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_RangeResponse {
        try await unary(idempotent: true, timeout: timeout) { c, m, o in try await c.kv.range(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_PutRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_PutResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.kv.put(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_DeleteRangeRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_DeleteRangeResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.kv.deleteRange(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_TxnRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_TxnResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.kv.txn(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_CompactionRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_CompactionResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.kv.compact(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_LeaseGrantRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_LeaseGrantResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.lease.leaseGrant(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_LeaseRevokeRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_LeaseRevokeResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.lease.leaseRevoke(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_LeaseTimeToLiveRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_LeaseTimeToLiveResponse {
        try await unary(idempotent: true, timeout: timeout) { c, m, o in try await c.lease.leaseTimeToLive(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_LeaseLeasesRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_LeaseLeasesResponse {
        try await unary(idempotent: true, timeout: timeout) { c, m, o in try await c.lease.leaseLeases(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_MemberAddRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_MemberAddResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.cluster.memberAdd(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_MemberRemoveRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_MemberRemoveResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.cluster.memberRemove(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_MemberUpdateRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_MemberUpdateResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.cluster.memberUpdate(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_MemberListRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_MemberListResponse {
        try await unary(idempotent: true, timeout: timeout) { c, m, o in try await c.cluster.memberList(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_MemberPromoteRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_MemberPromoteResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.cluster.memberPromote(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AlarmRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AlarmResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.maintenance.alarm(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_StatusRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_StatusResponse {
        try await unary(idempotent: true, timeout: timeout) { c, m, o in try await c.maintenance.status(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_DefragmentRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_DefragmentResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.maintenance.defragment(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_HashRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_HashResponse {
        try await unary(idempotent: true, timeout: timeout) { c, m, o in try await c.maintenance.hash(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_HashKVRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_HashKVResponse {
        try await unary(idempotent: true, timeout: timeout) { c, m, o in try await c.maintenance.hashKV(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_MoveLeaderRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_MoveLeaderResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.maintenance.moveLeader(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthEnableRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthEnableResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.auth.authEnable(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthDisableRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthDisableResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.auth.authDisable(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthStatusRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthStatusResponse {
        try await unary(idempotent: true, timeout: timeout) { c, m, o in try await c.auth.authStatus(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthUserAddRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthUserAddResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.auth.userAdd(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthUserGetRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthUserGetResponse {
        try await unary(idempotent: true, timeout: timeout) { c, m, o in try await c.auth.userGet(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthUserListRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthUserListResponse {
        try await unary(idempotent: true, timeout: timeout) { c, m, o in try await c.auth.userList(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthUserDeleteRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthUserDeleteResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.auth.userDelete(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthUserChangePasswordRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthUserChangePasswordResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.auth.userChangePassword(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthUserGrantRoleRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthUserGrantRoleResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.auth.userGrantRole(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthUserRevokeRoleRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthUserRevokeRoleResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.auth.userRevokeRole(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthRoleAddRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthRoleAddResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.auth.roleAdd(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthRoleGetRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthRoleGetResponse {
        try await unary(idempotent: true, timeout: timeout) { c, m, o in try await c.auth.roleGet(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthRoleListRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthRoleListResponse {
        try await unary(idempotent: true, timeout: timeout) { c, m, o in try await c.auth.roleList(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthRoleDeleteRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthRoleDeleteResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.auth.roleDelete(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthRoleGrantPermissionRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthRoleGrantPermissionResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.auth.roleGrantPermission(request, metadata: m, options: o) }
    }

    public func rpc(_ request: Etcdserverpb_AuthRoleRevokePermissionRequest, timeout: Duration? = nil) async throws -> Etcdserverpb_AuthRoleRevokePermissionResponse {
        try await unary(idempotent: false, timeout: timeout) { c, m, o in try await c.auth.roleRevokePermission(request, metadata: m, options: o) }
    }

}

extension EtcdClient {
    /// Keeps a lease alive as etcd's Go client does: a renewal at once, then one a third of the
    /// TTL after each answer. Yields every answer; ends (without an error) when etcd reports the
    /// lease gone (TTL ≤ 0). Stopping the iteration ends the stream.
    public func leaseKeepAlive(id: Int64) -> AsyncThrowingStream<EtcdLease, any Error> {
        var request = Etcdserverpb_LeaseKeepAliveRequest()
        request.id = id
        let req = request
        let (stream, continuation) = AsyncThrowingStream<EtcdLease, any Error>.makeStream()
        let task = Task {
            do {
                let connection = try await self.currentConnection()
                var options = self.callOptions()
                options.timeout = nil
                let (delays, next) = AsyncStream<Duration>.makeStream()
                try await connection.lease.leaseKeepAlive(
                    metadata: self.metadata(), options: options,
                    requestProducer: { writer in
                        try await writer.write(req)
                        for await delay in delays {
                            try await Task.sleep(for: delay)
                            try await writer.write(req)
                        }
                    },
                    onResponse: { response in
                        defer { next.finish() }
                        for try await message in response.messages {
                            if message.ttl <= 0 { return }
                            continuation.yield(EtcdLease(header: EtcdResponseHeader(message.header), id: message.id,
                                                         ttl: message.ttl))
                            next.yield(.milliseconds(max(500, message.ttl * 1000 / 3)))
                        }
                    })
                continuation.finish()
            } catch {
                continuation.finish(throwing: self.mapError(error))
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
