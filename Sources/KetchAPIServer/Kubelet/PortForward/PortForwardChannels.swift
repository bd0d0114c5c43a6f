import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore

/// The kubelet's WebSocket port-forward (pkg/kubelet/cri/streaming/portforward/websocket.go),
/// which clients other than kubectl use (the Python client, for one): the ports come in the
/// query, each gets channel `2i` for data (both ways) and `2i+1` for errors, and every message
/// starts with its channel number (a byte; an ASCII digit before base64 text in the `base64`
/// variant). The server first writes each port, 16-bit little-endian, on both its channels; the
/// pod connections are dialled at once, and the WebSocket closes when all of them are over.
struct PortForwardChannels: Sendable {
    static let binaryProtocol = "v4.channel.k8s.io"
    static let base64Protocol = "v4.base64.channel.k8s.io"

    let target: PortForwardTarget
    let ports: [UInt16]
    let base64: Bool
    let logger: Logger
    var dialer = PortForwardDialer()
    var linger: Duration = .seconds(1)

    init(target: PortForwardTarget, ports: [UInt16], base64: Bool, logger: Logger) {
        self.target = target
        self.ports = ports
        self.base64 = base64
        self.logger = logger
    }

    /// One message on `channel`, in the negotiated encoding.
    static func message(channel: Int, _ payload: ByteBuffer, base64: Bool) -> WebSocketOutboundWriter.OutboundFrame {
        if base64 {
            let digit = Character(UnicodeScalar(UInt8(48 + channel % 10)))
            return .text(String(digit) + Data(payload.readableBytesView).base64EncodedString())
        }
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt8(truncatingIfNeeded: channel))
        buffer.writeImmutableBuffer(payload)
        return .binary(buffer)
    }

    /// A client message: its channel and payload (nil when malformed).
    static func parse(_ message: WebSocketMessage, base64: Bool) -> (channel: Int, payload: ByteBuffer)? {
        switch message {
        case .binary(var buffer) where !base64:
            guard let channel = buffer.readInteger(as: UInt8.self) else { return nil }
            return (Int(channel), buffer)
        case .text(let text) where base64:
            guard let first = text.utf8.first, first >= 48, first <= 57,
                  let data = Data(base64Encoded: String(text.dropFirst())) else { return nil }
            return (Int(first - 48), ByteBuffer(bytes: data))
        default:
            return nil
        }
    }

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let queue = SendQueue<WebSocketOutboundWriter.OutboundFrame>()
        let relays = ports.indices.map { PortForwardRelay(dataStream: UInt32($0 * 2)) }
        let base64 = self.base64
        for (i, port) in ports.enumerated() {
            var portBytes = ByteBuffer()
            portBytes.writeInteger(port, endianness: .little)
            queue.post(Self.message(channel: 2 * i, portBytes, base64: base64))
            queue.post(Self.message(channel: 2 * i + 1, portBytes, base64: base64))
        }
        async let written: Void = queue.drain { try await outbound.write($0) }
        await withTaskGroup(of: Void.self) { group in
            // The reader: client data to its port's connection, until the client goes.
            group.addTask {
                do {
                    for try await message in inbound.messages(maxSize: 1 << 24) {
                        guard let (channel, payload) = Self.parse(message, base64: base64),
                              channel % 2 == 0, channel / 2 < relays.count else { continue }
                        let relay = relays[channel / 2]
                        relay.received(payload, fin: false)
                        if relay.buffered > relay.limit { await relay.waitForRoom() }
                    }
                } catch {
                    logger.debug("port-forward WebSocket read ended", metadata: ["error": "\(error)"])
                }
                for relay in relays { relay.reset() }
            }
            // One pipe per port; the connection closes once they are all done.
            await withTaskGroup(of: Void.self) { pipes in
                for (i, port) in ports.enumerated() {
                    let relay = relays[i]
                    pipes.addTask {
                        let pipe = PortForwardPipe(dialer: dialer, target: target, linger: linger, logger: logger)
                        let failure = await pipe.run(
                            port: Int(port), relay: relay,
                            send: { chunk in try await queue.send(Self.message(channel: 2 * i, chunk, base64: base64)) },
                            podClosed: {})
                        if let failure, relay.end != .reset {
                            let text = target.forwardingError(port: Int(port), PortForwardTarget.inNamespace(failure))
                            logger.debug("port-forward failed", metadata: ["message": .string(text)])
                            try? await queue.send(Self.message(channel: 2 * i + 1, ByteBuffer(string: text), base64: base64))
                        }
                    }
                }
            }
            group.cancelAll()
        }
        // Everything queued goes out before the WebSocket closes.
        queue.finish()
        await written
    }
}
