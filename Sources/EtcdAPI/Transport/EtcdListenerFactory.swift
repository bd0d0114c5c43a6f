import GRPCNIOTransportHTTP2
import NIOCore
import NIOPosix
import NIOSSL

/// Binds one etcd client listener (`--listen-client-urls` entry) for
/// `HTTP2ServerTransport.Custom`: TLS when the URL is https, then the per-connection
/// protocol choice between gRPC and etcd's HTTP endpoints.
public struct EtcdListenerFactory: HTTP2ServerTransport.ListenerFactory {
    public let eventLoopGroup: any EventLoopGroup
    private let address: NIOCore.SocketAddress
    private let tls: NIOSSLContext?
    private let peers: PeerIdentities
    private let http: HTTPEndpoints
    private let recordsIdentities: Bool

    /// ALPN in server preference order: curl offers both and gets HTTP/1.1; gRPC clients offer
    /// only `h2` (Python's also `grpc-exp`) and get HTTP/2.
    static let applicationProtocols = ["http/1.1", "h2"]

    /// - Parameters:
    ///   - tls: the certificate settings for an https listener, `nil` for plaintext.
    ///   - peers: where verified client-certificate identities are recorded.
    public init(
        address: GRPCNIOTransportCore.SocketAddress, tls: TLSServerSettings?, peers: PeerIdentities, http: HTTPEndpoints,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        self.address = try NIOCore.SocketAddress(binding: address)
        self.tls = try tls?.makeContext(applicationProtocols: Self.applicationProtocols)
        // etcd takes a certificate's CN as the user only with --client-cert-auth.
        self.recordsIdentities = tls?.clientCertAuth ?? false
        self.peers = peers
        self.http = http
        self.eventLoopGroup = eventLoopGroup
    }

    public func makeListeningChannel(
        listenerConfigurator: HTTP2ServerTransport.ListenerConfigurator,
        connectionConfigurator: HTTP2ServerTransport.ConnectionConfigurator
    ) async throws -> NIOAsyncChannel<HTTP2ServerTransport.ConnectionConfigurator.ConnectionChannel, Never> {
        let tls = self.tls
        let peers = self.peers
        let http = self.http
        let recordsIdentities = self.recordsIdentities
        return try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { listenerConfigurator.configure(channel: $0) }
            .bind(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls {
                        try sync.addHandler(NIOSSLServerHandler(context: tls))
                        if recordsIdentities { try sync.addHandler(PeerIdentityRecorder(peers: peers)) }
                    }
                    try sync.addHandler(ProtocolSniffer(http: http))
                }.flatMap {
                    // ALPN is not required: the sniffer, not ALPN, decides what a connection speaks.
                    connectionConfigurator.configure(channel: channel, tls: tls == nil ? .none : .configured(requireALPN: false))
                }
            }
    }
}
