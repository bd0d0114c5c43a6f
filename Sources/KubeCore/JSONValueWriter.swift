/// Writes a ``JSONValue`` as compact JSON bytes, byte for byte as Foundation's `JSONEncoder`
/// with `.sortedKeys` and `.withoutEscapingSlashes` writes it (keys in UTF-8 byte order, numbers
/// as Swift prints them, control characters as `\u00xx`), so stored values do not change.
///
/// It exists because `JSONEncoder` goes through `Encodable` for every node of the tree: on a
/// busy apiserver, encoding watch events that way was the largest single cost.
struct JSONValueWriter {
    private(set) var bytes: [UInt8] = []

    /// Writes `value` after what is already written.
    mutating func write(_ value: JSONValue) throws(JSONValueWriteError) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .integer(let i): append(String(i))
        case .number(let d): try write(d)
        case .string(let s): write(s)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                try write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (i, member) in sorted.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                write(member.key)
                bytes.append(UInt8(ascii: ":"))
                try write(member.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private mutating func write(_ d: Double) throws(JSONValueWriteError) {
        guard d.isFinite else { throw JSONValueWriteError(value: d) }
        var text = d.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        append(text)
    }

    private mutating func write(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var start = 0
            for (i, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                start = i + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}

/// A number JSON cannot hold (NaN or an infinity), as `JSONEncoder` refuses it.
public struct JSONValueWriteError: Error, CustomStringConvertible {
    /// The number.
    public let value: Double

    public var description: String { "unable to encode \(value) as JSON: it is not a finite number" }
}
