import Foundation
import NIOCore
import NIOHTTP1

/// Answers HTTP/1.1 requests on a client or metrics listener with ``HTTPEndpoints``.
/// Request bodies are read only for the v2 API (`--enable-v2`), whose answers are computed asynchronously.
final class EtcdHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let endpoints: HTTPEndpoints
    private var request: HTTPRequestHead?
    private var body: [UInt8] = []

    init(endpoints: HTTPEndpoints) {
        self.endpoints = endpoints
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
            body = []
        case .body(var buffer):
            if endpoints.isV2(request?.uri ?? ""), body.count < 8 << 20 {
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            }
        case .end:
            guard let head = request else { return }
            request = nil
            if endpoints.isV2(head.uri) {
                let endpoints = self.endpoints
                let (uri, method, bytes) = (head.uri, head.method, body)
                body = []
                let answered = context.eventLoop.makePromise(of: HTTPReply.self)
                answered.completeWithTask { await endpoints.respondV2(method: method, uri: uri, body: bytes) }
                answered.futureResult.assumeIsolated().whenSuccess { reply in
                    self.write(reply, to: head, context: context)
                }
                return
            }
            write(endpoints.respond(method: head.method, uri: head.uri), to: head, context: context)
        }
    }

    private func write(_ reply: HTTPReply, to head: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HTTPHeaders(reply.headers)
        headers.add(name: "Date", value: Self.httpDate())
        headers.add(name: "Content-Length", value: String(reply.body.count))
        if let type = reply.sniffedContentType { headers.add(name: "Content-Type", value: type) }
        let keepAlive = head.isKeepAlive
        // Go says so only to HTTP/1.1 clients that asked to close; HTTP/1.0 ones expect it anyway.
        if !keepAlive && head.version == .http1_1 { headers.add(name: "Connection", value: "close") }

        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: reply.status, headers: headers))), promise: nil)
        if head.method != .HEAD && !reply.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: reply.body)))), promise: nil)
        }
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        if !keepAlive {
            done.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A broken request or connection; HTTPServerProtocolErrorHandler has already answered 400
        // where that makes sense. The idle gRPC handlers behind us need not hear of it.
        context.close(promise: nil)
    }

    /// RFC 7231 date, as Go's `http.TimeFormat` writes it.
    static func httpDate(_ date: Date = Date()) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&time, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
