import EtcdServerConfig
import GRPCNIOTransportCore

extension ListenURL {
    /// Where to bind, as gRPC's NIO transport and the metrics listener take it.
    var socketAddress: GRPCNIOTransportCore.SocketAddress {
        switch address {
        case .ipv4(let host, let port): return .ipv4(host: host, port: port)
        case .ipv6(let host, let port): return .ipv6(host: host, port: port)
        case .unixDomainSocket(let path): return .unixDomainSocket(path: path)
        }
    }
}
