import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP2
import NIOSSL
import NIOTLS
import ServiceLifecycle

/// The apiserver's connections: TLS, then HTTP/2 or HTTP/1.1 as ALPN decides, as kube-apiserver
/// offers both. Go clients (kubectl, client-go) take HTTP/2; HTTP/1.1 stays for clients that ask
/// for nothing else, and for exec, attach and port-forward, whose SPDY and WebSocket upgrades
/// only exist in HTTP/1.1 (client-go dials them with `http/1.1` alone).
struct KubeHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<NIONegotiatedHTTPVersion<KubeHTTP1Channel.Value, HTTP2Channel.Value>>
        let channel: any Channel
    }

    let sslContext: NIOSSLContext
    let http1: KubeHTTP1Channel
    let http2: HTTP2Channel

    var responder: HTTPChannelHandler.Responder { http1.responder }

    /// What ALPN offers, most preferred first.
    static let protocols = ["h2", "http/1.1"]

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let http1 = self.http1
        let http2 = self.http2
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
            typealias Negotiated = NIONegotiatedHTTPVersion<KubeHTTP1Channel.Value, HTTP2Channel.Value>
            let alpn = NIOTypedApplicationProtocolNegotiationHandler<Negotiated> { result in
                switch result {
                case .negotiated("h2"):
                    return http2.setup(channel: channel, logger: logger).map { .http2($0) }
                case .negotiated("http/1.1"), .fallback:
                    return http1.setup(channel: channel, logger: logger).map { .http1_1($0) }
                case .negotiated:
                    return channel.close().flatMapThrowing { throw NIOHTTP2Errors.invalidALPNToken() }
                }
            }
            try channel.pipeline.syncOperations.addHandler(alpn)
            return Value(negotiated: alpn.protocolNegotiationResult, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        // A client that connects and never finishes its handshake must not hold a graceful
        // shutdown open: the connection is closed when one starts.
        let negotiated = await withGracefulShutdownHandler {
            try? await value.negotiated.get()
        } onGracefulShutdown: {
            value.channel.close(promise: nil)
        }
        switch negotiated {
        case .http1_1(let connection)?:
            await http1.handle(value: connection, logger: logger)
        case .http2(let connection)?:
            await http2.handle(value: connection, logger: logger)
        case nil:
            logger.debug("connection closed before its protocol was negotiated")
        }
    }
}

extension HTTPServerBuilder {
    /// The apiserver's server: TLS with ALPN over ``KubeHTTP1Channel`` and HTTP/2.
    static func kubeHTTP<WSResponderBuilder: HTTPResponderBuilder & _HB_SendableMetatype>(
        webSocketRouter: WSResponderBuilder,
        spdyExec: @escaping SPDYExecResolver,
        tlsConfiguration: TLSConfiguration
    ) throws -> HTTPServerBuilder where WSResponderBuilder.Responder.Context: WebSocketRequestContext {
        var tls = tlsConfiguration
        tls.applicationProtocols = KubeHTTPChannel.protocols
        let sslContext = try NIOSSLContext(configuration: tls)
        let webSocketResponder = webSocketRouter.buildResponder()
        return .init { responder in
            KubeHTTPChannel(sslContext: sslContext,
                            http1: KubeHTTP1Channel(responder: responder, webSocketResponder: webSocketResponder, spdyExec: spdyExec),
                            http2: HTTP2Channel(responder: responder))
        }
    }
}
