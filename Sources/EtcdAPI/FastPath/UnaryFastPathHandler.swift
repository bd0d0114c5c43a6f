import GRPCCore
import NIOCore
import NIOHPACK
import NIOHTTP2

/// Answers etcd's hottest unary calls on the HTTP/2 stream's own event loop, in front of
/// grpc-swift's stream handler.
///
/// grpc-swift runs every call as a Swift task fed through async sequences, which costs several
/// thread hand-offs per call; for a one-key get or a put that is most of the call's CPU. This
/// handler sees the request frames first. For a method in `UnaryFastPathRoutes` it collects the
/// one request message and answers it itself (reads at once, writes when the group commit
/// lands). Anything it is not sure of (another method, compression, a malformed or oversized
/// body, a request that does not decode) is handed on, frames unchanged, to grpc-swift, which
/// then answers exactly as it would have.
final class UnaryFastPathHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private enum State {
        /// Waiting for the request headers.
        case idle
        /// Collecting the request of a fast method.
        case collecting(UnaryFastPathRoutes.Method)
        /// The request is complete and being answered.
        case answering
        /// grpc-swift answers this stream; frames go straight through.
        case handedOn
    }

    private let routes: UnaryFastPathRoutes
    private var state = State.idle
    /// Every frame read so far, replayed to grpc-swift if this handler hands the call on.
    private var frames: [HTTP2Frame.FramePayload] = []
    private var headers = HPACKHeaders()
    private var body: ByteBuffer?

    init(routes: UnaryFastPathRoutes) {
        self.routes = routes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch state {
        case .handedOn:
            context.fireChannelRead(data)
        case .answering:
            break  // nothing follows a request's END_STREAM
        case .idle:
            guard case .headers(let h) = frame, !h.endStream, let method = routes.method(for: h.headers) else {
                return handOn(context: context, with: frame)
            }
            headers = h.headers
            frames.append(frame)
            state = .collecting(method)
        case .collecting(let method):
            frames.append(frame)
            switch frame {
            case .data(let d):
                guard case .byteBuffer(var bytes) = d.data else { return handOn(context: context, with: nil) }
                if body == nil { body = bytes } else { body!.writeBuffer(&bytes) }
                if (body?.readableBytes ?? 0) > routes.maxMessageBytes + 5 { return handOn(context: context, with: nil) }
                if d.endStream { finish(method, context: context) }
            case .headers(let trailers) where trailers.endStream:
                finish(method, context: context)
            default:
                handOn(context: context, with: nil)
            }
        }
    }

    /// Gives the stream to grpc-swift: replays what was read, then steps aside.
    private func handOn(context: ChannelHandlerContext, with frame: HTTP2Frame.FramePayload?) {
        state = .handedOn
        if let frame { frames.append(frame) }
        let replay = frames
        frames = []
        body = nil
        for f in replay { context.fireChannelRead(wrapInboundOut(f)) }
    }

    /// The request is complete: answer it if it is exactly one uncompressed message that decodes.
    private func finish(_ method: UnaryFastPathRoutes.Method, context: ChannelHandlerContext) {
        guard var body, let compressed = body.readInteger(as: UInt8.self), compressed == 0,
              let length = body.readInteger(as: UInt32.self), Int(length) == body.readableBytes,
              Int(length) <= routes.maxMessageBytes,
              let call = routes.call(method, message: body, headers: headers, channel: context.channel)
        else {
            return handOn(context: context, with: nil)
        }
        state = .answering
        frames = []
        self.body = nil
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        call.run { outcome in
            // Writes complete on the writer's thread; the answer goes out on the stream's loop.
            if loopBound.eventLoop.inEventLoop {
                let (handler, context) = loopBound.value
                handler.respond(outcome, context: context)
            } else {
                loopBound.eventLoop.execute {
                    let (handler, context) = loopBound.value
                    handler.respond(outcome, context: context)
                }
            }
        }
    }

    private func respond(_ outcome: Result<ByteBuffer, RPCError>, context: ChannelHandlerContext) {
        switch outcome {
        case .success(let message):
            context.write(wrapOutboundOut(.headers(.init(headers: Self.responseHeaders))), promise: nil)
            context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(message)))), promise: nil)
            context.write(wrapOutboundOut(.headers(.init(headers: Self.okTrailers, endStream: true))), promise: nil)
        case .failure(let error):
            var trailers = Self.responseHeaders
            trailers.add(name: "grpc-status", value: String(error.code.rawValue))
            trailers.add(name: "grpc-message", value: GRPCStatusMessage.percentEncoded(error.message))
            context.write(wrapOutboundOut(.headers(.init(headers: trailers, endStream: true))), promise: nil)
        }
        context.flush()
    }

    private static let responseHeaders: HPACKHeaders = [":status": "200", "content-type": "application/grpc"]
    private static let okTrailers: HPACKHeaders = ["grpc-status": "0"]
}
