import NIOCore

/// Answers a client's HTTP/2 PINGs below the HTTP/2 server, which never sees them.
///
/// grpc-go clients (etcdctl, kube-apiserver) measure bandwidth-delay with a PING after each
/// burst of DATA they receive, so a large download — `snapshot save`, a busy watch — brings
/// pings by the hundred. NIOHTTP2 closes a connection after 200 PING/SETTINGS frames in 30 s,
/// and grpc-swift's keepalive policy after three pings closer than 5 minutes, both with GOAWAY
/// ENHANCE_YOUR_CALM (etcdctl: "the connection is draining"). etcd's grpc-go server forgives
/// such pings whenever it sends data; neither limit can be configured through grpc-swift, so
/// pings are acknowledged here, at the byte level, and everything else passes through untouched.
///
/// PING ACKs (answers to the server's own keepalive pings) and malformed PINGs are passed on,
/// for the HTTP/2 server to judge.
final class ClientPingResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private static let prefaceLength = 24
    private static let frameHeaderLength = 9
    private static let pingType: UInt8 = 6
    private static let ackFlag: UInt8 = 0x1
    private static let pingPayloadLength = 8

    /// Bytes of the client preface still to pass before the first frame header.
    private var prefaceRemaining = prefaceLength
    /// Payload bytes of the current (passed-through) frame still to come.
    private var payloadRemaining = 0
    /// A frame header, or a PING, split across reads.
    private var partial: ByteBuffer?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if var held = partial {
            partial = nil
            held.writeBuffer(&bytes)
            bytes = held
        }
        // The run of bytes to pass on starts at `bytes.readerIndex`; `cursor` walks the frames.
        var cursor = bytes.readerIndex
        let end = bytes.writerIndex
        func passRun(upTo index: Int) {
            let count = index - bytes.readerIndex
            if count > 0, let run = bytes.readSlice(length: count) {
                context.fireChannelRead(wrapInboundOut(run))
            }
        }
        while cursor < end {
            if prefaceRemaining > 0 {
                let n = min(prefaceRemaining, end - cursor)
                prefaceRemaining -= n
                cursor += n
                continue
            }
            if payloadRemaining > 0 {
                let n = min(payloadRemaining, end - cursor)
                payloadRemaining -= n
                cursor += n
                continue
            }
            guard end - cursor >= Self.frameHeaderLength,
                  let length = bytes.getUInt24(at: cursor),
                  let type = bytes.getInteger(at: cursor + 3, as: UInt8.self),
                  let flags = bytes.getInteger(at: cursor + 4, as: UInt8.self)
            else {
                break  // an incomplete header: keep it for the next read
            }
            let isClientPing = type == Self.pingType && flags & Self.ackFlag == 0 && length == Self.pingPayloadLength
                && bytes.getInteger(at: cursor + 5, as: UInt32.self) == 0
            guard isClientPing else {
                cursor += Self.frameHeaderLength
                payloadRemaining = length
                continue
            }
            guard end - cursor >= Self.frameHeaderLength + Self.pingPayloadLength else { break }
            passRun(upTo: cursor)
            bytes.moveReaderIndex(forwardBy: Self.frameHeaderLength)
            let opaque = bytes.readSlice(length: Self.pingPayloadLength)!
            acknowledge(opaque, context: context)
            cursor = bytes.readerIndex
        }
        passRun(upTo: cursor)
        if bytes.readableBytes > 0 {
            partial = bytes
        }
    }

    private func acknowledge(_ opaque: ByteBuffer, context: ChannelHandlerContext) {
        var ack = context.channel.allocator.buffer(capacity: Self.frameHeaderLength + Self.pingPayloadLength)
        ack.writeUInt24(UInt32(Self.pingPayloadLength))
        ack.writeInteger(Self.pingType)
        ack.writeInteger(Self.ackFlag)
        ack.writeInteger(UInt32(0))
        ack.writeImmutableBuffer(opaque)
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(ack)), promise: nil)
    }
}

extension ByteBuffer {
    fileprivate func getUInt24(at index: Int) -> Int? {
        guard let high = getInteger(at: index, as: UInt8.self),
              let low = getInteger(at: index + 1, as: UInt16.self)
        else { return nil }
        return Int(high) << 16 | Int(low)
    }

    fileprivate mutating func writeUInt24(_ value: UInt32) {
        writeInteger(UInt8(truncatingIfNeeded: value >> 16))
        writeInteger(UInt16(truncatingIfNeeded: value))
    }
}
