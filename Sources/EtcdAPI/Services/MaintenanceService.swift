import GRPCCore
import KetchStore

/// etcd's Maintenance service. Status and the alarm list are served here; the rest of the
/// service (defragment, hashes, snapshots, leadership, downgrade) answers `unimplemented`
/// until the store grows those capabilities.
public struct MaintenanceService: Etcdserverpb_Maintenance.SimpleServiceProtocol {
    let context: EtcdServerContext

    public init(context: EtcdServerContext) {
        self.context = context
    }

    public func status(request: Etcdserverpb_StatusRequest, context _: ServerContext) async throws -> Etcdserverpb_StatusResponse {
        try await mappingErrors {
            let revision = context.store.currentRevision
            let size = try context.store.storageSize()
            var out = Etcdserverpb_StatusResponse()
            out.header = context.header(revision: revision)
            out.version = EtcdServerContext.etcdVersion
            out.dbSize = size.total
            out.dbSizeInUse = size.inUse
            out.leader = context.identity.memberID
            // Ketch has no raft log; every durable revision stands for one applied entry.
            out.raftIndex = UInt64(revision)
            out.raftAppliedIndex = UInt64(revision)
            out.raftTerm = UInt64(context.store.term)
            return out
        }
    }

    public func alarm(request: Etcdserverpb_AlarmRequest, context _: ServerContext) async throws -> Etcdserverpb_AlarmResponse {
        guard request.action == .get else {
            throw RPCError(code: .unimplemented, message: "ketch: alarm activate/deactivate is not implemented yet")
        }
        // No quota is enforced yet, so no alarm can be raised.
        var out = Etcdserverpb_AlarmResponse()
        out.header = context.header(revision: context.store.currentRevision)
        return out
    }

    private func notYet(_ method: String) -> RPCError {
        RPCError(code: .unimplemented, message: "ketch: Maintenance.\(method) is not implemented yet")
    }

    public func defragment(request: Etcdserverpb_DefragmentRequest, context _: ServerContext) async throws -> Etcdserverpb_DefragmentResponse {
        throw notYet("Defragment")
    }

    public func hash(request: Etcdserverpb_HashRequest, context _: ServerContext) async throws -> Etcdserverpb_HashResponse {
        throw notYet("Hash")
    }

    public func hashKV(request: Etcdserverpb_HashKVRequest, context _: ServerContext) async throws -> Etcdserverpb_HashKVResponse {
        throw notYet("HashKV")
    }

    public func snapshot(request: Etcdserverpb_SnapshotRequest, response: RPCWriter<Etcdserverpb_SnapshotResponse>, context _: ServerContext) async throws {
        throw notYet("Snapshot")
    }

    public func moveLeader(request: Etcdserverpb_MoveLeaderRequest, context _: ServerContext) async throws -> Etcdserverpb_MoveLeaderResponse {
        throw notYet("MoveLeader")
    }

    public func downgrade(request: Etcdserverpb_DowngradeRequest, context _: ServerContext) async throws -> Etcdserverpb_DowngradeResponse {
        throw notYet("Downgrade")
    }
}
