import NIOCore

/// A SPDY/3.1 frame (draft 3.1 of the SPDY protocol, as Go's framer in moby/spdystream reads and
/// writes it; that is what `kubectl exec` speaks before WebSockets).
///
/// Control frames: `1 | version(15) | type(16) | flags(8) | length(24) | payload`.
/// Data frames: `0 | stream-id(31) | flags(8) | length(24) | payload`.
enum SPDYFrame: Sendable {
    case data(streamID: UInt32, fin: Bool, payload: ByteBuffer)
    case synStream(streamID: UInt32, associatedTo: UInt32, priority: UInt8, flags: UInt8, headers: SPDYHeaders)
    case synReply(streamID: UInt32, fin: Bool, headers: SPDYHeaders)
    case rstStream(streamID: UInt32, status: UInt32)
    case settings(flags: UInt8, entries: [SPDYSetting])
    case ping(id: UInt32)
    case goAway(lastGoodStreamID: UInt32, status: UInt32)
    case headers(streamID: UInt32, fin: Bool, headers: SPDYHeaders)
    case windowUpdate(streamID: UInt32, delta: UInt32)
    /// A control frame of a type this server does not know (ignored, as the spec asks).
    case unknown(type: UInt16, flags: UInt8)

    static let version: UInt16 = 3
    static let flagFin: UInt8 = 0x01
    static let flagUnidirectional: UInt8 = 0x02
    /// Data payloads are cut into frames no larger than this.
    static let maxDataChunk = 32 * 1024

    enum ControlType: UInt16 {
        case synStream = 1, synReply = 2, rstStream = 3, settings = 4, ping = 6, goAway = 7, headers = 8, windowUpdate = 9
    }

    /// RST_STREAM status codes.
    enum RstStatus {
        static let protocolError: UInt32 = 1
        static let invalidStream: UInt32 = 2
        static let refusedStream: UInt32 = 3
        static let cancel: UInt32 = 5
        static let internalError: UInt32 = 6
    }
}

/// A SYN_STREAM/SYN_REPLY/HEADERS name/value block.
struct SPDYHeaders: Sendable {
    var pairs: [(name: String, values: [String])]

    init(_ pairs: [(name: String, values: [String])] = []) { self.pairs = pairs }

    /// The first value of `name` (names are lowercase on the wire).
    subscript(_ name: String) -> String? {
        pairs.first { $0.name == name.lowercased() }?.values.first
    }
}

/// One SETTINGS entry.
struct SPDYSetting: Sendable {
    var flags: UInt8
    var id: UInt32
    var value: UInt32
}

enum SPDYFrameError: Error, CustomStringConvertible {
    case malformed(String)
    var description: String {
        switch self { case .malformed(let why): return "malformed SPDY frame: \(why)" }
    }
}

/// Bytes → frames; owns the connection's inbound header decompressor.
final class SPDYFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = SPDYFrame
    private let inflater: SPDYHeaderInflater

    init() throws {
        inflater = try SPDYHeaderInflater()
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try decodeFrame(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    /// The next whole frame at the start of `buffer` (consumed), or nil while it is incomplete;
    /// also for SPDY carried outside a channel pipeline (the WebSocket tunnel).
    func decodeFrame(_ buffer: inout ByteBuffer) throws -> SPDYFrame? {
        guard buffer.readableBytes >= 8,
              let word = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self),
              let lengthWord = buffer.getInteger(at: buffer.readerIndex + 4, as: UInt32.self) else { return nil }
        let length = Int(lengthWord & 0x00ff_ffff)
        let flags = UInt8(lengthWord >> 24)
        guard buffer.readableBytes >= 8 + length else { return nil }
        buffer.moveReaderIndex(forwardBy: 8)
        var payload = buffer.readSlice(length: length)!
        if word & 0x8000_0000 == 0 {
            return .data(streamID: word & 0x7fff_ffff, fin: flags & SPDYFrame.flagFin != 0, payload: payload)
        }
        return try control(type: UInt16(word & 0xffff), flags: flags, payload: &payload)
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    private func control(type rawType: UInt16, flags: UInt8, payload: inout ByteBuffer) throws -> SPDYFrame {
        func u32() throws -> UInt32 {
            guard let v = payload.readInteger(as: UInt32.self) else { throw SPDYFrameError.malformed("short control frame") }
            return v
        }
        func headerBlock() throws -> SPDYHeaders {
            let compressed = payload.readBytes(length: payload.readableBytes) ?? []
            return SPDYHeaders(try SPDYHeaderCompression.parse(try inflater.inflate(compressed)))
        }
        guard let type = SPDYFrame.ControlType(rawValue: rawType) else { return .unknown(type: rawType, flags: flags) }
        switch type {
        case .synStream:
            let id = try u32() & 0x7fff_ffff
            let associated = try u32() & 0x7fff_ffff
            guard let priority = payload.readInteger(as: UInt8.self), payload.readInteger(as: UInt8.self) != nil else {
                throw SPDYFrameError.malformed("short SYN_STREAM")
            }
            return .synStream(streamID: id, associatedTo: associated, priority: priority >> 5, flags: flags, headers: try headerBlock())
        case .synReply:
            let id = try u32() & 0x7fff_ffff
            return .synReply(streamID: id, fin: flags & SPDYFrame.flagFin != 0, headers: try headerBlock())
        case .headers:
            let id = try u32() & 0x7fff_ffff
            return .headers(streamID: id, fin: flags & SPDYFrame.flagFin != 0, headers: try headerBlock())
        case .rstStream:
            return .rstStream(streamID: try u32() & 0x7fff_ffff, status: try u32())
        case .settings:
            let count = try u32()
            guard Int(count) * 8 <= payload.readableBytes else { throw SPDYFrameError.malformed("short SETTINGS") }
            var entries: [SPDYSetting] = []
            for _ in 0..<count {
                let word = try u32()
                entries.append(SPDYSetting(flags: UInt8(word >> 24), id: word & 0x00ff_ffff, value: try u32()))
            }
            return .settings(flags: flags, entries: entries)
        case .ping:
            return .ping(id: try u32())
        case .goAway:
            let last = try u32() & 0x7fff_ffff
            return .goAway(lastGoodStreamID: last, status: payload.readableBytes >= 4 ? try u32() : 0)
        case .windowUpdate:
            return .windowUpdate(streamID: try u32() & 0x7fff_ffff, delta: try u32() & 0x7fff_ffff)
        }
    }
}

/// Frames → bytes; owns the connection's outbound header compressor.
final class SPDYFrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = SPDYFrame
    private let deflater: SPDYHeaderDeflater

    init() throws {
        deflater = try SPDYHeaderDeflater()
    }

    func encode(data frame: SPDYFrame, out: inout ByteBuffer) throws {
        switch frame {
        case .data(let id, let fin, let payload):
            out.writeInteger(id & 0x7fff_ffff)
            out.writeInteger(UInt32(fin ? SPDYFrame.flagFin : 0) << 24 | UInt32(payload.readableBytes))
            out.writeImmutableBuffer(payload)
        case .synStream(let id, let associated, let priority, let flags, let headers):
            let block = try deflater.deflate(SPDYHeaderCompression.serialize(headers.pairs))
            control(.synStream, flags: flags, length: 10 + block.count, into: &out)
            out.writeInteger(id & 0x7fff_ffff)
            out.writeInteger(associated & 0x7fff_ffff)
            out.writeInteger(UInt8(priority << 5))
            out.writeInteger(UInt8(0))
            out.writeBytes(block)
        case .synReply(let id, let fin, let headers):
            let block = try deflater.deflate(SPDYHeaderCompression.serialize(headers.pairs))
            control(.synReply, flags: fin ? SPDYFrame.flagFin : 0, length: 4 + block.count, into: &out)
            out.writeInteger(id & 0x7fff_ffff)
            out.writeBytes(block)
        case .headers(let id, let fin, let headers):
            let block = try deflater.deflate(SPDYHeaderCompression.serialize(headers.pairs))
            control(.headers, flags: fin ? SPDYFrame.flagFin : 0, length: 4 + block.count, into: &out)
            out.writeInteger(id & 0x7fff_ffff)
            out.writeBytes(block)
        case .rstStream(let id, let status):
            control(.rstStream, flags: 0, length: 8, into: &out)
            out.writeInteger(id & 0x7fff_ffff)
            out.writeInteger(status)
        case .settings(let flags, let entries):
            control(.settings, flags: flags, length: 4 + 8 * entries.count, into: &out)
            out.writeInteger(UInt32(entries.count))
            for e in entries {
                out.writeInteger(UInt32(e.flags) << 24 | e.id & 0x00ff_ffff)
                out.writeInteger(e.value)
            }
        case .ping(let id):
            control(.ping, flags: 0, length: 4, into: &out)
            out.writeInteger(id)
        case .goAway(let last, let status):
            control(.goAway, flags: 0, length: 8, into: &out)
            out.writeInteger(last & 0x7fff_ffff)
            out.writeInteger(status)
        case .windowUpdate(let id, let delta):
            control(.windowUpdate, flags: 0, length: 8, into: &out)
            out.writeInteger(id & 0x7fff_ffff)
            out.writeInteger(delta & 0x7fff_ffff)
        case .unknown:
            break
        }
    }

    private func control(_ type: SPDYFrame.ControlType, flags: UInt8, length: Int, into out: inout ByteBuffer) {
        out.writeInteger(UInt32(0x8000_0000) | UInt32(SPDYFrame.version) << 16 | UInt32(type.rawValue))
        out.writeInteger(UInt32(flags) << 24 | UInt32(length & 0x00ff_ffff))
    }
}
