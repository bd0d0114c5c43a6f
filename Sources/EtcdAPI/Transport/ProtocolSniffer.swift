import NIOCore
import NIOHTTP1

/// Tells gRPC (HTTP/2) clients from HTTP/1.1 clients on one port, as etcd serves `/health`,
/// `/version` and `/metrics` beside gRPC on its client URLs.
///
/// The gRPC pipeline is always configured behind this handler (the transport needs a
/// configured connection from the child initializer, before any byte has arrived). The
/// sniffer compares the first bytes with the HTTP/2 client preface:
/// - a match: it replays what it held back and leaves the pipeline to gRPC, with a
///   `ClientPingResponder` in its place;
/// - a mismatch: it inserts an HTTP/1.1 server right behind itself and a sink that swallows
///   whatever the idle gRPC handlers write, so the HTTP/1.1 client only sees HTTP/1.1.
///
/// Over TLS the same test runs on decrypted bytes; ALPN (server preference `http/1.1`, then
/// `h2`) only steers clients that offer both towards HTTP/1.1.
final class ProtocolSniffer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private static let http2Preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private enum State {
        /// Undecided: inbound bytes and the HTTP/2 server's early writes (its SETTINGS frame
        /// goes out on channelActive, before the client has said anything) are held.
        case sniffing
        case http1
        /// Decided for gRPC: everything passes through until the handler is gone. (Writes the
        /// HTTP/2 server makes while reading the replayed bytes — its SETTINGS ACK above all —
        /// must go out; holding them would leave the client's settings unacknowledged.)
        case http2
    }

    private let http: HTTPEndpoints
    private var state = State.sniffing
    private var received: ByteBuffer?
    private var heldWrites: [(IOData, EventLoopPromise<Void>?)] = []
    private var heldFlush = false

    init(http: HTTPEndpoints) {
        self.http = http
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .sniffing = state else {
            context.fireChannelRead(data)
            return
        }
        var bytes = unwrapInboundIn(data)
        if received == nil {
            received = bytes
        } else {
            received!.writeBuffer(&bytes)
        }
        let seen = received!.readableBytesView
        let prefix = Self.http2Preface.prefix(seen.count)
        if !seen.prefix(prefix.count).elementsEqual(prefix) {
            becomeHTTP1(context: context)
        } else if seen.count >= Self.http2Preface.count {
            becomeHTTP2(context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .sniffing = state { return }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch state {
        case .sniffing: heldWrites.append((unwrapOutboundIn(data), promise))
        case .http1, .http2: context.write(data, promise: promise)
        }
    }

    func flush(context: ChannelHandlerContext) {
        switch state {
        case .sniffing: heldFlush = true
        case .http1, .http2: context.flush()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failHeldWrites()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failHeldWrites()
    }

    private func becomeHTTP2(context: ChannelHandlerContext) {
        state = .http2
        let writes = heldWrites
        heldWrites = []
        for (data, promise) in writes { context.write(wrapOutboundOut(data), promise: promise) }
        if heldFlush { context.flush() }
        let bytes = received!
        received = nil
        do {
            try context.pipeline.syncOperations.addHandler(ClientPingResponder(), position: .after(self))
        } catch {
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(wrapInboundOut(bytes))
        // The read that completed the preface is followed by channelReadComplete, which the
        // HTTP/2 handler needs to flush what it wrote; it reaches it once this handler is gone.
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func becomeHTTP1(context: ChannelHandlerContext) {
        state = .http1
        // The HTTP/2 server's greeting is not for this client.
        for (_, promise) in heldWrites { promise?.succeed(()) }
        heldWrites = []
        do {
            let sync = context.pipeline.syncOperations
            try sync.addHandlers([EtcdHTTPHandler(endpoints: http), DiscardOutbound()], position: .after(self))
            try sync.configureHTTPServerPipeline(position: .after(self), withPipeliningAssistance: true)
        } catch {
            context.close(promise: nil)
            return
        }
        let bytes = received!
        received = nil
        context.fireChannelRead(wrapInboundOut(bytes))
    }

    private func failHeldWrites() {
        let writes = heldWrites
        heldWrites = []
        for (_, promise) in writes { promise?.fail(ChannelError.ioOnClosedChannel) }
    }
}

/// Placed between an HTTP/1.1 server and the unused gRPC handlers behind it: drops their
/// writes (keep-alive pings, GOAWAY) while letting close requests through, so shutdown
/// and idle handling still close the connection.
final class DiscardOutbound: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = NIOAny

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        promise?.succeed(())
    }

    func flush(context: ChannelHandlerContext) {}
}
