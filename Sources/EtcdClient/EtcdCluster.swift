import EtcdProto
import Foundation

/// A member's status (etcd's `StatusResponse`).
public struct EtcdStatus: Sendable, Hashable {
    public var header: EtcdResponseHeader
    /// The server's version, e.g. `3.5.1`.
    public var version: String
    public var dbSize: Int64
    public var dbSizeInUse: Int64
    /// The leader's member ID.
    public var leader: UInt64
    public var raftIndex: UInt64
    public var raftTerm: UInt64
    public var raftAppliedIndex: UInt64
    public var errors: [String]
    public var isLearner: Bool
}

/// A cluster member.
public struct EtcdMember: Sendable, Hashable {
    public var id: UInt64
    /// Empty for a member that has not started.
    public var name: String
    public var peerURLs: [String]
    public var clientURLs: [String]
    public var isLearner: Bool
}

/// The member list with its header.
public struct EtcdMemberList: Sendable, Hashable {
    public var header: EtcdResponseHeader
    public var members: [EtcdMember]
}

/// An active alarm.
public struct EtcdAlarm: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case none, noSpace, corrupt
        case other(Int)
    }

    public var memberID: UInt64
    public var alarm: Kind
}

/// A lease as granted or kept alive.
public struct EtcdLease: Sendable, Hashable {
    public var header: EtcdResponseHeader
    public var id: Int64
    /// Remaining time to live, in seconds (≤ 0: the lease has expired or does not exist).
    public var ttl: Int64
}

extension EtcdClient {
    /// The status of the member the client is connected to.
    public func status() async throws -> EtcdStatus {
        let r = try await rpc(Etcdserverpb_StatusRequest())
        return EtcdStatus(
            header: EtcdResponseHeader(r.header), version: r.version, dbSize: r.dbSize, dbSizeInUse: r.dbSizeInUse,
            leader: r.leader, raftIndex: r.raftIndex, raftTerm: r.raftTerm, raftAppliedIndex: r.raftAppliedIndex,
            errors: r.errors, isLearner: r.isLearner)
    }

    /// The cluster's members (`linearizable`: ask the leader, as etcd 3.5's client does by default).
    public func memberList(linearizable: Bool = true) async throws -> EtcdMemberList {
        var request = Etcdserverpb_MemberListRequest()
        request.linearizable = linearizable
        let r = try await rpc(request)
        return EtcdMemberList(
            header: EtcdResponseHeader(r.header),
            members: r.members.map {
                EtcdMember(id: $0.id, name: $0.name, peerURLs: $0.peerUrls, clientURLs: $0.clientUrls, isLearner: $0.isLearner)
            })
    }

    /// The active alarms (NOSPACE, CORRUPT).
    public func alarmList() async throws -> [EtcdAlarm] {
        var request = Etcdserverpb_AlarmRequest()
        request.action = .get
        let req = request
        let r = try await unary(idempotent: true) { conn, metadata, options in
            try await conn.maintenance.alarm(req, metadata: metadata, options: options)
        }
        return r.alarms.map { a in
            let kind: EtcdAlarm.Kind =
                switch a.alarm {
                case .none: .none
                case .nospace: .noSpace
                case .corrupt: .corrupt
                case .UNRECOGNIZED(let n): .other(n)
                }
            return EtcdAlarm(memberID: a.memberID, alarm: kind)
        }
    }

    /// Grants a lease of `ttl` seconds (`id` 0: etcd picks the ID).
    public func leaseGrant(ttl: Int64, id: Int64 = 0) async throws -> EtcdLease {
        var request = Etcdserverpb_LeaseGrantRequest()
        request.ttl = ttl
        request.id = id
        let r = try await rpc(request)
        if !r.error.isEmpty { throw EtcdClientError.server(code: .unknown, message: r.error) }
        return EtcdLease(header: EtcdResponseHeader(r.header), id: r.id, ttl: r.ttl)
    }

    /// Revokes a lease, deleting the keys attached to it.
    @discardableResult
    public func leaseRevoke(id: Int64) async throws -> EtcdResponseHeader {
        var request = Etcdserverpb_LeaseRevokeRequest()
        request.id = id
        let r = try await rpc(request)
        return EtcdResponseHeader(r.header)
    }

    /// Renews a lease once (one message on a LeaseKeepAlive stream). A TTL ≤ 0 in the answer
    /// means the lease no longer exists.
    public func leaseKeepAliveOnce(id: Int64) async throws -> EtcdLease {
        var request = Etcdserverpb_LeaseKeepAliveRequest()
        request.id = id
        let req = request
        let r = try await unary(idempotent: false) { conn, metadata, options in
            try await conn.lease.leaseKeepAlive(
                metadata: metadata, options: options,
                requestProducer: { writer in try await writer.write(req) },
                onResponse: { response in
                    for try await message in response.messages { return message }
                    throw EtcdClientError.server(code: .unavailable, message: "etcdserver: no keep-alive response")
                })
        }
        return EtcdLease(header: EtcdResponseHeader(r.header), id: r.id, ttl: r.ttl)
    }
}
