import EtcdProto
import Crypto
import Foundation
import GRPCCore
import KetchStore
import Synchronization

/// etcd's Maintenance service, answered as a one-member etcd 3.5.1 cluster would answer it.
///
/// Auth follows etcd 3.5.1: with auth on, Defragment, Snapshot, Hash and HashKV need the root
/// role; Alarm and Downgrade need only a valid token if one is given (they go through raft);
/// Status and MoveLeader need nothing.
public struct MaintenanceService: Etcdserverpb_Maintenance.ServiceProtocol {
    let context: EtcdServerContext
    private let downgrade = DowngradeJob()

    /// etcd's `snapshotSendBufferSize`: the blob size of each snapshot message.
    static let snapshotChunkBytes = 32 * 1024

    public init(context: EtcdServerContext) {
        self.context = context
    }

    private var store: MVCCStore { context.store }

    // MARK: Status and alarms

    public func status(request: ServerRequest<Etcdserverpb_StatusRequest>, context _: ServerContext) async throws -> ServerResponse<Etcdserverpb_StatusResponse> {
        try await mappingErrors {
            let revision = store.currentRevision
            let size = try store.storageSize()
            var out = Etcdserverpb_StatusResponse()
            out.header = context.header(revision: revision)
            out.version = EtcdServerContext.etcdVersion
            out.dbSize = size.total
            out.dbSizeInUse = size.inUse
            out.leader = context.identity.memberID
            // Ketch has no raft log; every durable revision stands for one applied entry.
            out.raftIndex = UInt64(revision)
            out.raftAppliedIndex = UInt64(revision)
            out.raftTerm = UInt64(store.term)
            out.errors = store.alarms().map(\.description)
            return ServerResponse(message: out)
        }
    }

    public func alarm(request: ServerRequest<Etcdserverpb_AlarmRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AlarmResponse> {
        try requireValidToken(request.metadata, rpc.remotePeer)
        let r = request.message
        var out = Etcdserverpb_AlarmResponse()
        // A type this build does not know matches no alarm (etcd would crash raising one).
        if let type = AlarmType(rawValue: Int32(r.alarm.rawValue)) {
            let member = AlarmMember(memberID: r.memberID, type: type)
            let alarms: [AlarmMember]
            switch r.action {
            case .get: alarms = store.alarms(type)
            case .activate: alarms = try mappingStorageErrors { try store.activateAlarm(member) }.map { [$0] } ?? []
            case .deactivate: alarms = try mappingStorageErrors { try store.deactivateAlarm(member) }.map { [$0] } ?? []
            // etcd answers an unknown action with a nil response and crashes on it; answer empty.
            case .UNRECOGNIZED: alarms = []
            }
            out.alarms = alarms.map { a in
                var m = Etcdserverpb_AlarmMember()
                m.memberID = a.memberID
                m.alarm = Etcdserverpb_AlarmType(rawValue: Int(a.type.rawValue)) ?? .none
                return m
            }
        }
        out.header = context.header(revision: store.currentRevision)
        return ServerResponse(message: out)
    }

    // MARK: Storage

    public func defragment(request: ServerRequest<Etcdserverpb_DefragmentRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_DefragmentResponse> {
        try requireAdmin(request.metadata, rpc.remotePeer)
        try await mappingStorageErrors { try await store.defragment() }
        // etcd 3.5 answers without a header.
        return ServerResponse(message: Etcdserverpb_DefragmentResponse())
    }

    public func hash(request: ServerRequest<Etcdserverpb_HashRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_HashResponse> {
        try requireAdmin(request.metadata, rpc.remotePeer)
        let result = try await mappingStorageErrors { try await store.hash() }
        var out = Etcdserverpb_HashResponse()
        out.header = context.header(revision: result.revision)
        out.hash = result.hash
        return ServerResponse(message: out)
    }

    public func hashKV(request: ServerRequest<Etcdserverpb_HashKVRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_HashKVResponse> {
        try requireAdmin(request.metadata, rpc.remotePeer)
        let result = try await mappingStorageErrors { try await store.hashKV(revision: request.message.revision) }
        var out = Etcdserverpb_HashKVResponse()
        out.header = context.header(revision: result.currentRevision)
        out.hash = result.hash
        out.compactRevision = result.compactRevision
        out.hashRevision = result.hashRevision
        return ServerResponse(message: out)
    }

    /// The whole store as one consistent copy: `snapshotChunkBytes` blobs with the bytes still
    /// to come, then a last message whose blob is the SHA-256 of everything before it, as etcd
    /// sends. The first message's header carries the copy's revision. Format: docs/snapshot-format.md.
    public func snapshot(request: ServerRequest<Etcdserverpb_SnapshotRequest>, context rpc: ServerContext) async throws -> StreamingServerResponse<Etcdserverpb_SnapshotResponse> {
        try requireAdmin(request.metadata, rpc.remotePeer)
        let snapshot = try await mappingStorageErrors { try await store.snapshot() }
        let header = context.header(revision: snapshot.revision)
        return StreamingServerResponse(of: Etcdserverpb_SnapshotResponse.self) { writer in
            var digest = SHA256()
            var sent: Int64 = 0
            while sent < snapshot.size {
                let chunk = try snapshot.read(upTo: Self.snapshotChunkBytes)
                guard !chunk.isEmpty else {
                    throw RPCError(code: .internalError, message: "ketch: snapshot copy ended after \(sent) of \(snapshot.size) bytes")
                }
                sent += Int64(chunk.count)
                digest.update(data: chunk)
                var message = Etcdserverpb_SnapshotResponse()
                if sent == Int64(chunk.count) { message.header = header }
                message.remainingBytes = UInt64(snapshot.size - sent)
                message.blob = chunk
                try await writer.write(message)
            }
            var checksum = Etcdserverpb_SnapshotResponse()
            checksum.blob = Data(digest.finalize())
            try await writer.write(checksum)
            return [:]
        }
    }

    // MARK: Cluster

    /// The only member is the leader already: moving leadership to it succeeds at once, to
    /// anyone else fails as etcd fails for an unknown member.
    public func moveLeader(request: ServerRequest<Etcdserverpb_MoveLeaderRequest>, context _: ServerContext) async throws -> ServerResponse<Etcdserverpb_MoveLeaderResponse> {
        guard request.message.targetID == context.identity.memberID else {
            throw RPCError(code: .failedPrecondition, message: "etcdserver: bad leader transferee")
        }
        // etcd 3.5 answers without a header.
        return ServerResponse(message: Etcdserverpb_MoveLeaderResponse())
    }

    public func downgrade(request: ServerRequest<Etcdserverpb_DowngradeRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_DowngradeResponse> {
        try requireValidToken(request.metadata, rpc.remotePeer)
        let r = request.message
        switch r.action {
        case .validate: try downgrade.validate(r.version)
        case .enable: try downgrade.enable(r.version)
        case .cancel: try downgrade.cancel()
        case .UNRECOGNIZED: throw RPCError(code: .unknown, message: "etcdserver: unknown method")
        }
        var out = Etcdserverpb_DowngradeResponse()
        out.header = context.header(revision: store.currentRevision)
        out.version = DowngradeJob.clusterVersion
        return ServerResponse(message: out)
    }

    // MARK: Auth

    /// etcd's `isPermitted`: with auth on, only a user with the root role may. etcd 3.5 returns
    /// these auth errors unconverted, so clients see gRPC Unknown with the auth package's text
    /// (`auth: user name is empty`, `auth: permission denied`, …).
    private func requireAdmin(_ metadata: Metadata, _ peer: String) throws {
        guard context.auth.isEnabled else { return }
        do {
            try context.auth.checkAdmin(try context.auth.caller(metadata: metadata, remotePeer: peer))
        } catch let error as AuthError {
            if case .storageFailure = error { throw error }
            throw RPCError(code: .unknown, message: error.description)
        }
    }

    /// What etcd checks for requests it sends through raft: a token, if given, is valid.
    private func requireValidToken(_ metadata: Metadata, _ peer: String) throws {
        guard context.auth.isEnabled else { return }
        _ = try context.auth.caller(metadata: metadata, remotePeer: peer)
    }
}

/// Store errors to etcd's gRPC errors, for synchronous and asynchronous bodies alike.
private func mappingStorageErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as StoreError {
        throw error.rpcError
    }
}

private func mappingStorageErrors<T>(_ body: () async throws -> T) async throws -> T {
    try await mappingErrors(body)
}

/// A downgrade job as a one-member etcd 3.5 cluster keeps it: the cluster version is 3.5.0 and
/// the only allowed target 3.4. Kept in memory only — etcd persists it, but a 3.5 member then
/// refuses to restart until a 3.4 binary runs, which is no use to Ketch.
final class DowngradeJob: Sendable {
    /// etcd's cluster version: major.minor of the members' version.
    static let clusterVersion = "3.5.0"
    private static let allowedTarget = (major: 3, minor: 4)

    private let enabled = Mutex(false)

    /// etcd's `downgradeValidate`.
    func validate(_ version: String) throws {
        guard let target = Self.majorMinor(version) else {
            throw RPCError(code: .invalidArgument, message: "etcdserver: wrong downgrade target version format")
        }
        guard target == Self.allowedTarget else {
            throw RPCError(code: .invalidArgument, message: "etcdserver: invalid downgrade target version")
        }
        if enabled.withLock({ $0 }) {
            throw RPCError(code: .failedPrecondition, message: "etcdserver: cluster has a downgrade job in progress")
        }
    }

    /// etcd's `downgradeEnable`. (etcd 3.5.1 records the job but then times out answering;
    /// this answers as it was meant to.)
    func enable(_ version: String) throws {
        try validate(version)
        enabled.withLock { $0 = true }
    }

    /// etcd's `downgradeCancel`.
    func cancel() throws {
        let wasEnabled = enabled.withLock { e in
            defer { e = false }
            return e
        }
        if !wasEnabled {
            throw RPCError(code: .failedPrecondition, message: "etcdserver: no inflight downgrade job")
        }
    }

    /// Go's `semver.NewVersion`, retried with `.0` appended as etcd does: `X.Y.Z` or `X.Y`,
    /// optionally with `-pre` and `+meta`.
    static func majorMinor(_ version: String) -> (major: Int, minor: Int)? {
        func parse(_ v: String) -> (Int, Int)? {
            let core = v.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let parts = core.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, let major = Int(parts[0]), let minor = Int(parts[1]), Int(parts[2]) != nil else { return nil }
            return (major, minor)
        }
        return parse(version) ?? parse(version + ".0")
    }
}

/// Quota and alarm refusals end an RPC with etcd's status.
extension AlarmError: RPCErrorConvertible {
    public var rpcErrorCode: RPCError.Code {
        switch self {
        case .noSpace: return .resourceExhausted
        case .corrupt: return .dataLoss
        }
    }

    public var rpcErrorMessage: String { description }
}

/// A storage engine without maintenance support answers these requests as unimplemented.
extension MaintenanceUnsupportedError: RPCErrorConvertible {
    public var rpcErrorCode: RPCError.Code { .unimplemented }
    public var rpcErrorMessage: String { description }
}
