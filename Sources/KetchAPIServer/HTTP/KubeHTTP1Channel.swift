import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Decides whether an `Upgrade: SPDY/3.1` request becomes an exec or port-forward session:
/// authenticates and authorizes it as any request, checks the pod and the request. Nil (or a
/// throw) leaves the request to normal HTTP handling, which answers with the error.
typealias SPDYExecResolver = @Sendable (HTTPRequest, any Channel) async throws -> SPDYUpgradeTarget?

/// What an accepted SPDY upgrade serves.
enum SPDYUpgradeTarget: Sendable {
    case exec(SPDYExecTarget)
    case portForward(PortForwardTarget)

    /// The negotiated `X-Stream-Protocol-Version`, sent back with the 101.
    var protocolVersion: String {
        switch self {
        case .exec(let target): return target.protocolVersion
        case .portForward: return PortForwardSession.protocolName
        }
    }
}

/// The apiserver's HTTP/1.1 child channel: Hummingbird's HTTP1 + WebSocket upgrade channel
/// (unchanged, for normal requests and `kubectl exec` over WebSocket), plus the SPDY/3.1 upgrade
/// older kubectl (< 1.31) uses for exec.
///
/// The WebSocket channel owns the HTTP pipeline; a small handler placed in front of its upgrade
/// handler looks at the connection's first request: an SPDY upgrade that the resolver accepts
/// takes the connection over (101, then SPDY frames); anything else passes through untouched.
struct KubeHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    struct Value: ServerChildChannelValue {
        let http: HTTP1WebSocketUpgradeChannel.Value
        let spdy: EventLoopFuture<SPDYUpgradeOutcome>
        var channel: any Channel { http.channel }
    }

    let http: HTTP1WebSocketUpgradeChannel
    let spdyExec: SPDYExecResolver

    var responder: HTTPChannelHandler.Responder { http.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let spdyExec = self.spdyExec
        return http.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let promise = channel.eventLoop.makePromise(of: SPDYUpgradeOutcome.self)
            let pipeline = channel.pipeline.syncOperations
            let upgrader = try pipeline.handler(type: NIOTypedHTTPServerUpgradeHandler<HTTP1WebSocketUpgradeChannel.UpgradeResult>.self)
            try pipeline.addHandler(SPDYUpgradeHandler(resolver: spdyExec, promise: promise, logger: logger),
                                    position: .before(upgrader))
            return Value(http: value, spdy: promise.futureResult)
        }
    }

    func handle(value: Value, logger: Logger) async {
        // A connection that has not sent its first request when a graceful shutdown starts is
        // closed here: Hummingbird's connection-state handler, which closes quiescing
        // connections, joins the pipeline only with the first request, and a client that had
        // just connected would otherwise hold the shutdown open for ever.
        let outcome = await withGracefulShutdownHandler {
            try? await value.spdy.get()
        } onGracefulShutdown: {
            value.channel.close(promise: nil)
        }
        if case .spdy(let asyncChannel, let target)? = outcome {
            switch target {
            case .exec(let exec):
                await SPDYExecSession(target: exec, logger: logger).run(asyncChannel)
            case .portForward(let pod):
                await PortForwardSession(target: pod, logger: logger).run(asyncChannel)
            }
        } else {
            await http.handle(value: value.http, logger: logger)
        }
    }
}

/// What became of a connection's first request.
enum SPDYUpgradeOutcome: Sendable {
    /// Not an SPDY exec upgrade: HTTP (or WebSocket) handling goes on.
    case notUpgraded
    /// Upgraded: the connection carries SPDY frames.
    case spdy(NIOAsyncChannel<SPDYFrame, SPDYFrame>, SPDYUpgradeTarget)
}

/// Watches a connection's first request for `Upgrade: SPDY/3.1`. When the resolver accepts it,
/// answers 101 Switching Protocols (with the negotiated `X-Stream-Protocol-Version`), replaces the
/// HTTP handlers with the SPDY frame codec and hands the connection over; otherwise replays the
/// request to the handlers behind it. Removes itself either way.
final class SPDYUpgradeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Before the first request head.
        case idle
        /// Waiting for the resolver; request parts held back.
        case deciding([HTTPServerRequestPart])
        /// Switching protocols; raw bytes held back for the SPDY decoder.
        case upgrading([NIOAny])
        case done
    }

    private var state = State.idle
    private let resolver: SPDYExecResolver
    private let promise: EventLoopPromise<SPDYUpgradeOutcome>
    private let logger: Logger

    init(resolver: @escaping SPDYExecResolver, promise: EventLoopPromise<SPDYUpgradeOutcome>, logger: Logger) {
        self.resolver = resolver
        self.promise = promise
        self.logger = logger
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        promise.succeed(.notUpgraded) // no-op when already completed
    }

    /// A first request that does not parse (an `HTTPParserError`) never shows a head, so neither
    /// this handler nor the WebSocket upgrader behind it (which has no `errorCaught`) would ever
    /// decide, and the connection would hang open. Answer 400 and close, as Go's net/http does.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard case .idle = state, error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        state = .done
        promise.succeed(.notUpgraded)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "0")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch state {
        case .idle:
            let part = unwrapInboundIn(data)
            guard case .head(let head) = part, Self.isSPDYUpgrade(head), let request = Self.request(head) else {
                state = .done
                promise.succeed(.notUpgraded)
                context.fireChannelRead(data)
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                return
            }
            state = .deciding([part])
            let resolver = self.resolver
            let channel = context.channel
            let decision = context.eventLoop.makePromise(of: SPDYUpgradeTarget?.self)
            decision.completeWithTask { try await resolver(request, channel) }
            decision.futureResult.hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
                switch result {
                case .success(let target?): self.upgrade(context: context, target: target)
                case .success(nil): self.passThrough(context: context)
                case .failure(let error):
                    self.logger.debug("SPDY upgrade refused", metadata: ["error": "\(error)"])
                    self.passThrough(context: context)
                }
            }
        case .deciding(var parts):
            parts.append(unwrapInboundIn(data))
            state = .deciding(parts)
        case .upgrading(var raw):
            raw.append(data)
            state = .upgrading(raw)
        case .done:
            context.fireChannelRead(data)
        }
    }

    /// Not upgrading: the request goes on to the HTTP handlers, which answer with the error.
    /// NIO's typed upgrade handler behind this one drops a request whose `Upgrade` it has no
    /// upgrader for (it neither buffers nor forwards its head), so the head goes on without the
    /// upgrade headers, the SPDY offer kept in `declinedUpgradeHeader` for the error wording.
    private func passThrough(context: ChannelHandlerContext) {
        guard case .deciding(let parts) = state else { return }
        state = .done
        promise.succeed(.notUpgraded)
        for part in parts {
            if case .head(var head) = part {
                let upgrade = head.headers["Upgrade"].joined(separator: ", ")
                head.headers.remove(name: "Upgrade")
                let connection = head.headers["Connection"].flatMap { $0.split(separator: ",") }
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.lowercased() != "upgrade" && !$0.isEmpty }
                head.headers.remove(name: "Connection")
                if !connection.isEmpty { head.headers.add(name: "Connection", value: connection.joined(separator: ", ")) }
                head.headers.replaceOrAdd(name: Self.declinedUpgradeHeader, value: upgrade)
                context.fireChannelRead(wrapInboundOut(.head(head)))
            } else {
                context.fireChannelRead(wrapInboundOut(part))
            }
        }
        context.fireChannelReadComplete()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// Switches the connection to SPDY.
    private func upgrade(context: ChannelHandlerContext, target: SPDYUpgradeTarget) {
        guard case .deciding(let parts) = state else { return }
        // Only a complete request (no body still arriving) switches protocols.
        guard case .end? = parts.last else {
            passThrough(context: context)
            return
        }
        state = .upgrading([])
        let pipeline = context.pipeline.syncOperations
        do {
            // The WebSocket upgrade handler and the HTTP decoder go first (the decoder hands its
            // leftover bytes on, to be buffered here).
            let wsUpgrader = try pipeline.handler(type: NIOTypedHTTPServerUpgradeHandler<HTTP1WebSocketUpgradeChannel.UpgradeResult>.self)
            pipeline.removeHandler(wsUpgrader, promise: nil)
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            pipeline.removeHandler(decoder, promise: nil)
        } catch {
            fail(context: context, error)
            return
        }
        var headers = HTTPHeaders()
        headers.add(name: "Connection", value: "Upgrade")
        headers.add(name: "Upgrade", value: "SPDY/3.1")
        headers.add(name: SPDYExecProtocol.header.rawName, value: target.protocolVersion)
        let head = HTTPResponseHead(version: .http1_1, status: .switchingProtocols, headers: headers)
        context.writeAndFlush(wrapOutboundOut(.head(head))).assumeIsolated().whenComplete { result in
            do {
                try result.get()
                let pipeline = context.pipeline.syncOperations
                let encoder = try pipeline.handler(type: HTTPResponseEncoder.self)
                pipeline.removeHandler(encoder, promise: nil)
                try pipeline.addHandlers([ByteToMessageHandler(try SPDYFrameDecoder()), MessageToByteHandler(try SPDYFrameEncoder())],
                                         position: .after(self))
                let asyncChannel = try NIOAsyncChannel<SPDYFrame, SPDYFrame>(
                    wrappingChannelSynchronously: context.channel, configuration: .init())
                guard case .upgrading(let raw) = self.state else { return }
                self.state = .done
                self.promise.succeed(.spdy(asyncChannel, target))
                for data in raw { context.fireChannelRead(data) }
                context.fireChannelReadComplete()
                pipeline.removeHandler(context: context, promise: nil)
            } catch {
                self.fail(context: context, error)
            }
        }
    }

    private func fail(context: ChannelHandlerContext, _ error: any Error) {
        logger.error("SPDY upgrade failed", metadata: ["error": "\(error)"])
        state = .done
        promise.fail(error)
        context.close(promise: nil)
    }

    /// Where a declined request's `Upgrade` value travels on to the HTTP handlers.
    static let declinedUpgradeHeader = "X-Ketch-Declined-Upgrade"

    /// Whether `headers` are those of an SPDY upgrade request, declined or not.
    static func isSPDYUpgrade(_ headers: HTTPFields) -> Bool {
        isSPDYUpgrade(headers[.upgrade]) || isSPDYUpgrade(headers[HTTPField.Name(declinedUpgradeHeader)!])
    }

    /// `Upgrade: SPDY/3.1` (kubectl's streaming upgrade for exec before WebSockets).
    static func isSPDYUpgrade(_ head: HTTPRequestHead) -> Bool {
        head.headers["Upgrade"].contains { isSPDYUpgrade($0) }
    }

    /// Whether an `Upgrade` value names SPDY/3.1.
    static func isSPDYUpgrade(_ upgrade: String?) -> Bool {
        guard let upgrade else { return false }
        return upgrade.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "spdy/3.1" }
    }

    /// The head as an `HTTPRequest` (what the resolver and the router work with).
    static func request(_ head: HTTPRequestHead) -> HTTPRequest? {
        var fields = HTTPFields()
        for (name, value) in head.headers {
            guard let fieldName = HTTPField.Name(name) else { return nil }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return HTTPRequest(method: HTTPRequest.Method(head.method.rawValue) ?? .get, scheme: "https",
                           authority: head.headers["Host"].first, path: head.uri, headerFields: fields)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the WebSocket upgrade through `webSocketRouter` (as `http1WebSocketUpgrade`)
    /// and the SPDY/3.1 exec upgrade through `spdyExec`.
    static func kubeHTTP1<WSResponderBuilder: HTTPResponderBuilder & _HB_SendableMetatype>(
        webSocketRouter: WSResponderBuilder,
        spdyExec: @escaping SPDYExecResolver
    ) -> HTTPServerBuilder where WSResponderBuilder.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        return .init { responder in
            KubeHTTP1Channel(responder: responder, webSocketResponder: webSocketResponder, spdyExec: spdyExec)
        }
    }
}

extension KubeHTTP1Channel {
    /// The channel for `responder`, with WebSocket upgrades to `webSocketResponder`.
    init<WSResponder: HTTPResponder>(responder: @escaping HTTPChannelHandler.Responder, webSocketResponder: WSResponder,
                                     spdyExec: @escaping SPDYExecResolver) where WSResponder.Context: WebSocketRequestContext {
        self.init(
            // kubectl sends stdin in frames up to 32 KiB; Hummingbird's default limit is 16 KiB.
            http: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder,
                                               configuration: .init(ws: .init(maxFrameSize: 1 << 20))),
            spdyExec: spdyExec)
    }
}
