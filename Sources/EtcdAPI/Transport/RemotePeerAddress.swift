import NIOCore

/// The remote-peer string grpc-swift-nio-transport puts in `ServerContext.remotePeer`
/// (`ipv4:127.0.0.1:5555`, `ipv6:[::1]:5555`, `unix:/path`), rebuilt from the same
/// `Channel.remoteAddress` so the TLS listener and the services agree on the key.
public enum RemotePeerAddress {
    /// Mirrors `Channel.remoteAddressInfo` in grpc-swift-nio-transport 2.x.
    public static func grpcString(remote: SocketAddress?, local: SocketAddress?) -> String {
        guard let remote else {
            if case .unixDomainSocket = local, let path = local?.pathname { return "unix:\(path)" }
            return "<unknown>"
        }
        switch remote {
        case .v4(let address):
            return "ipv4:\(address.host):\(remote.port ?? 0)"
        case .v6(let address):
            return "ipv6:[\(address.host)]:\(remote.port ?? 0)"
        case .unixDomainSocket:
            if let path = remote.pathname, !path.isEmpty { return "unix:\(path)" }
            if case .unixDomainSocket = local, let path = local?.pathname { return "unix:\(path)" }
            return "unix:<unknown>"
        }
    }

    /// The key of `channel`'s peer in ``PeerIdentities``.
    public static func grpcString(of channel: any Channel) -> String {
        grpcString(remote: channel.remoteAddress, local: channel.localAddress)
    }
}
