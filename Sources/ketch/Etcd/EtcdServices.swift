import EtcdAPI
import GRPCCore

extension EtcdMemberServer {
    /// etcd's v3 gRPC services, served on every client listener.
    static func services(context: EtcdServerContext) -> [any RegistrableRPCService] {
        [
            KVService(context: context),
            MaintenanceService(context: context),
            ClusterService(context: context),
            AuthService(context: context),
            WatchService(context: context),
            LeaseService(context: context),
        ]
    }
}
