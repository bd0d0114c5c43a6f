/// The four protobuf wire types Kubernetes messages use. Groups (3, 4) are deprecated and
/// never produced by gogo-protobuf, so meeting one means the bytes are not a k8s message.
enum WireType: UInt8, Sendable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5
}

/// A cursor over protobuf bytes: reads tags and values one at a time and never allocates
/// more than the slice of a length-delimited field. Every read checks bounds, because the
/// bytes come from the network.
struct ProtobufReader {
    private let bytes: [UInt8]
    private var index: Int
    private let end: Int

    /// Reads `bytes[range]`, or all of `bytes`.
    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        let range = range ?? bytes.startIndex..<bytes.endIndex
        self.index = range.lowerBound
        self.end = range.upperBound
    }

    /// Whether everything has been read.
    var isAtEnd: Bool { index >= end }

    /// The next field's number and wire type; nil at the end of the message.
    mutating func readTag() throws -> (number: Int, wireType: WireType)? {
        guard !isAtEnd else { return nil }
        let key = try readVarint()
        let number = key >> 3
        guard number > 0, number <= 536_870_911 else {
            throw KubeProtobufError("protobuf: invalid field number \(number)")
        }
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw KubeProtobufError("protobuf: unsupported wire type \(key & 7) for field \(number)")
        }
        return (Int(number), wireType)
    }

    /// A base-128 varint, at most ten bytes.
    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < end else { throw KubeProtobufError("protobuf: truncated varint") }
            let byte = bytes[index]
            index += 1
            if shift == 63, byte > 1 { throw KubeProtobufError("protobuf: varint overflows 64 bits") }
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw KubeProtobufError("protobuf: varint longer than ten bytes") }
        }
    }

    /// Eight little-endian bytes.
    mutating func readFixed64() throws -> UInt64 {
        guard end - index >= 8 else { throw KubeProtobufError("protobuf: truncated fixed64") }
        var value: UInt64 = 0
        for offset in 0..<8 { value |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
        index += 8
        return value
    }

    /// Four little-endian bytes.
    mutating func readFixed32() throws -> UInt32 {
        guard end - index >= 4 else { throw KubeProtobufError("protobuf: truncated fixed32") }
        var value: UInt32 = 0
        for offset in 0..<4 { value |= UInt32(bytes[index + offset]) << (8 * UInt32(offset)) }
        index += 4
        return value
    }

    /// The range of a length-delimited field's payload; the cursor moves past it. Returning
    /// a range rather than a copy lets nested messages be read in place.
    mutating func readLengthDelimited() throws -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - index) else {
            throw KubeProtobufError("protobuf: length \(length) runs past the end of the message")
        }
        let range = index..<(index + Int(length))
        index = range.upperBound
        return range
    }

    /// The payload of a length-delimited field as its own array.
    mutating func readBytes() throws -> [UInt8] {
        Array(bytes[try readLengthDelimited()])
    }

    /// A reader over a sub-range of the same bytes, for a nested message.
    func reader(for range: Range<Int>) -> ProtobufReader {
        ProtobufReader(bytes, range: range)
    }

    /// The bytes of a sub-range.
    func slice(_ range: Range<Int>) -> ArraySlice<UInt8> {
        bytes[range]
    }

    /// Moves past a value of the given wire type: how unknown fields are ignored, as Go's
    /// generated unmarshalers do.
    mutating func skip(_ wireType: WireType) throws {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readLengthDelimited()
        }
    }
}
