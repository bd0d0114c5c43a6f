import NIOCore
import NIOEmbedded
import Testing
@testable import EtcdAPI

@Suite("Client PINGs answered below HTTP/2")
struct ClientPingResponderTests {
    private static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private func frame(type: UInt8, flags: UInt8 = 0, stream: UInt32 = 0, payload: [UInt8]) -> [UInt8] {
        let n = payload.count
        return [UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF), type, flags,
                UInt8(stream >> 24), UInt8(stream >> 16 & 0xFF), UInt8(stream >> 8 & 0xFF), UInt8(stream & 0xFF)] + payload
    }

    /// Feeds `input` in pieces of `chunk` bytes; returns what passed inbound and what was written.
    private func run(_ input: [UInt8], chunk: Int) throws -> (passed: [UInt8], written: [UInt8]) {
        let channel = EmbeddedChannel(handler: ClientPingResponder())
        var offset = 0
        while offset < input.count {
            let piece = Array(input[offset..<min(offset + chunk, input.count)])
            try channel.writeInbound(ByteBuffer(bytes: piece))
            offset += chunk
        }
        var passed: [UInt8] = []
        while var b = try channel.readInbound(as: ByteBuffer.self) { passed += b.readBytes(length: b.readableBytes)! }
        var written: [UInt8] = []
        while let out = try channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(var b) = out else { Issue.record("file region written"); continue }
            written += b.readBytes(length: b.readableBytes)!
        }
        _ = try channel.finish()
        return (passed, written)
    }

    @Test("pings are acknowledged and removed; every other byte passes in order, however reads split", arguments: [1, 2, 7, 9, 17, 4096])
    func pingsAnswered(chunk: Int) throws {
        let settings = frame(type: 4, payload: [0, 4, 0, 1, 0, 0])
        let headers = frame(type: 1, flags: 4, stream: 1, payload: Array(repeating: 0x41, count: 30))
        let data = frame(type: 0, flags: 1, stream: 1, payload: Array(repeating: 6, count: 300))  // a 6 (PING's type) inside a payload
        let ping1 = frame(type: 6, payload: [2, 4, 16, 16, 9, 14, 7, 7])
        let ping2 = frame(type: 6, payload: [1, 2, 3, 4, 5, 6, 7, 8])
        let pingAck = frame(type: 6, flags: 1, payload: [9, 9, 9, 9, 9, 9, 9, 9])
        let input = Self.preface + settings + ping1 + headers + data + ping2 + pingAck + ping1
        let (passed, written) = try run(input, chunk: chunk)
        #expect(passed == Self.preface + settings + headers + data + pingAck)
        let ack1 = frame(type: 6, flags: 1, payload: [2, 4, 16, 16, 9, 14, 7, 7])
        let ack2 = frame(type: 6, flags: 1, payload: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(written == ack1 + ack2 + ack1)
    }

    @Test("a malformed PING (wrong length, or on a stream) is left for the HTTP/2 server to refuse")
    func malformedPingsPass() throws {
        let long = frame(type: 6, payload: Array(repeating: 1, count: 9))
        let onStream = frame(type: 6, stream: 3, payload: Array(repeating: 1, count: 8))
        let input = Self.preface + long + onStream
        let (passed, written) = try run(input, chunk: 5)
        #expect(passed == input)
        #expect(written.isEmpty)
    }
}
