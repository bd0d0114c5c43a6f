import GRPCCore
import KetchStore

/// etcd's Cluster service for a cluster of exactly one member: this one.
public struct ClusterService: Etcdserverpb_Cluster.SimpleServiceProtocol {
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

    public func memberList(request: Etcdserverpb_MemberListRequest, context _: ServerContext) async throws -> Etcdserverpb_MemberListResponse {
        var out = Etcdserverpb_MemberListResponse()
        // etcd's cluster server leaves the revision out of this header.
        out.header = context.header(revision: 0)
        out.members = [member]
        return out
    }

    /// Membership is fixed: every Ketch member owns its data store alone.
    private var refusal: RPCError {
        RPCError(code: .failedPrecondition,
                 message: "ketch: membership changes are not supported: Ketch runs one member per data store")
    }

    public func memberAdd(request: Etcdserverpb_MemberAddRequest, context _: ServerContext) async throws -> Etcdserverpb_MemberAddResponse {
        throw refusal
    }

    public func memberRemove(request: Etcdserverpb_MemberRemoveRequest, context _: ServerContext) async throws -> Etcdserverpb_MemberRemoveResponse {
        throw refusal
    }

    public func memberUpdate(request: Etcdserverpb_MemberUpdateRequest, context _: ServerContext) async throws -> Etcdserverpb_MemberUpdateResponse {
        throw refusal
    }

    public func memberPromote(request: Etcdserverpb_MemberPromoteRequest, context _: ServerContext) async throws -> Etcdserverpb_MemberPromoteResponse {
        throw refusal
    }
}
