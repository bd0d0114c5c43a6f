import GRPCNIOTransportHTTP2
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A `--listen-metrics-urls` listener: HTTP/1.1 only (no gRPC), serving `/metrics` and
/// `/health`; over https with the client TLS settings, as etcd does.
public final class MetricsListener: Sendable {
    private let channel: any Channel

    /// Binds and starts serving.
    ///
    /// - Parameter tls: the certificate settings for an https URL, `nil` for http.
    public init(
        address: GRPCNIOTransportCore.SocketAddress, tls settings: TLSServerSettings?, endpoints: HTTPEndpoints,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws {
        let tls = try settings?.makeContext(applicationProtocols: ["http/1.1"])
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls { try sync.addHandler(NIOSSLServerHandler(context: tls)) }
                    try sync.configureHTTPServerPipeline(withPipeliningAssistance: true)
                    try sync.addHandler(EtcdHTTPHandler(endpoints: endpoints))
                }
            }
            .bind(to: try NIOCore.SocketAddress(binding: address))
            .get()
    }

    /// The bound address (useful with port 0).
    public var localAddress: NIOCore.SocketAddress? { channel.localAddress }

    /// Stops accepting connections.
    public func close() async {
        try? await channel.close()
    }

    /// Returns when the listener has closed.
    public func closed() async {
        try? await channel.closeFuture.get()
    }
}
