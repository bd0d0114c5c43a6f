import EtcdProto
import GRPCCore
import KetchStore

/// etcd's Cluster service for a cluster of exactly one member: this one.
///
/// As in etcd, anyone may list members; membership changes need the root role when auth is
/// on, and are then refused because Ketch's membership is fixed.
public struct ClusterService: Etcdserverpb_Cluster.ServiceProtocol {
    let context: EtcdServerContext

    public init(context: EtcdServerContext) {
        self.context = context
    }

    private var member: Etcdserverpb_Member {
        var m = Etcdserverpb_Member()
        m.id = context.identity.memberID
        m.name = context.identity.name
        m.peerUrls = context.identity.peerURLs
        m.clientUrls = context.identity.clientURLs
        return m
    }

    public func memberList(request: ServerRequest<Etcdserverpb_MemberListRequest>, context _: ServerContext) async throws -> ServerResponse<Etcdserverpb_MemberListResponse> {
        var out = Etcdserverpb_MemberListResponse()
        // etcd's cluster server leaves the revision out of this header.
        out.header = context.header(revision: 0)
        out.members = [member]
        return ServerResponse(message: out)
    }

    /// etcd's `checkMembershipOperationPermission`, then the refusal: every Ketch member owns
    /// its data store alone.
    private func refuse(_ metadata: Metadata, _ rpc: ServerContext) throws -> Never {
        let caller = try context.auth.caller(metadata: metadata, remotePeer: rpc.remotePeer)
        try context.auth.checkAdmin(caller)
        throw RPCError(code: .failedPrecondition,
                       message: "ketch: membership changes are not supported: Ketch runs one member per data store")
    }

    public func memberAdd(request: ServerRequest<Etcdserverpb_MemberAddRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_MemberAddResponse> {
        try refuse(request.metadata, rpc)
    }

    public func memberRemove(request: ServerRequest<Etcdserverpb_MemberRemoveRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_MemberRemoveResponse> {
        try refuse(request.metadata, rpc)
    }

    public func memberUpdate(request: ServerRequest<Etcdserverpb_MemberUpdateRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_MemberUpdateResponse> {
        try refuse(request.metadata, rpc)
    }

    public func memberPromote(request: ServerRequest<Etcdserverpb_MemberPromoteRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_MemberPromoteResponse> {
        try refuse(request.metadata, rpc)
    }
}
