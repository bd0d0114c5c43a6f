import GRPCNIOTransportHTTP2
import NIOCore

extension NIOCore.SocketAddress {
    /// The NIO address to bind for a gRPC transport address (IPv4, IPv6 or a Unix socket).
    init(binding address: GRPCNIOTransportCore.SocketAddress) throws {
        if let v4 = address.ipv4 {
            try self.init(ipAddress: v4.host, port: v4.port)
        } else if let v6 = address.ipv6 {
            try self.init(ipAddress: v6.host, port: v6.port)
        } else if let unix = address.unixDomainSocket {
            try self.init(unixDomainSocketPath: unix.path)
        } else {
            throw SocketAddressError.unsupported
        }
    }
}
