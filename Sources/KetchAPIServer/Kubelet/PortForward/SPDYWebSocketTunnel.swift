import HummingbirdWebSocket
import NIOCore

/// SPDY/3.1 carried in WebSocket binary messages (`SPDY/3.1+portforward.k8s.io`, kubectl 1.30+):
/// client-go's `TunnelingConnection` turns the WebSocket into a byte stream, writing each of its
/// writes as one binary message and reading messages back to back, so frames and messages need
/// not line up. The same frame codec as the plain SPDY upgrade is used on the bytes.
struct SPDYTunnelFrames: AsyncSequence {
    typealias Element = SPDYFrame

    /// A text message: client-go's tunnel fails with "invalid message type received"; so does this.
    struct TextMessage: Error, CustomStringConvertible {
        var description: String { "invalid message type received" }
    }

    let inbound: WebSocketInboundStream

    init(_ inbound: WebSocketInboundStream) {
        self.inbound = inbound
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(messages: inbound.makeAsyncIterator())
    }

    struct Iterator: AsyncIteratorProtocol {
        var messages: WebSocketInboundStream.AsyncIterator
        var bytes = ByteBuffer()
        var decoder: SPDYFrameDecoder?

        init(messages: WebSocketInboundStream.AsyncIterator) {
            self.messages = messages
        }

        mutating func next() async throws -> SPDYFrame? {
            if decoder == nil { decoder = try SPDYFrameDecoder() }
            while true {
                if let frame = try decoder!.decodeFrame(&bytes) {
                    if bytes.readerIndex > 1 << 16 { bytes.discardReadBytes() }
                    return frame
                }
                guard var message = try await messages.next() else { return nil }
                if message.opcode == .text { throw TextMessage() }
                bytes.writeBuffer(&message.data)
            }
        }
    }
}

/// Encodes frames into WebSocket binary messages. Holds the connection's header compressor, so
/// it is used by one task only (the session's frame queue writer).
final class SPDYTunnelWriter: @unchecked Sendable {
    private let encoder: SPDYFrameEncoder
    private let outbound: WebSocketOutboundWriter

    init(_ outbound: WebSocketOutboundWriter) throws {
        self.outbound = outbound
        encoder = try SPDYFrameEncoder()
    }

    func write(_ frame: SPDYFrame) async throws {
        var buffer = ByteBuffer()
        try encoder.encode(data: frame, out: &buffer)
        guard buffer.readableBytes > 0 else { return }
        try await outbound.write(.binary(buffer))
    }
}
