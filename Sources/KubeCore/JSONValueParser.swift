/// Parses UTF-8 JSON text straight into a ``JSONValue`` (RFC 8259, top-level scalars allowed,
/// the last of duplicate keys wins, a leading byte-order mark skipped).
///
/// It replaces a trip through `JSONSerialization`, whose `NSDictionary`/`NSNumber` tree then had
/// to be bridged and cast node by node; that was most of what decoding a stored object cost.
/// Errors read as Go's `encoding/json` words them, which is what kube-apiserver reports.
struct JSONValueParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    /// Strict decoding's state, present only when the caller asked for strict errors.
    private var strict: StrictDecodingState?
    /// Deeper nesting is refused rather than risking a task's small stack in recursion, as
    /// Foundation's parser refuses it (Go's decoder allows 10,000; no Kubernetes object nests near 512).
    static let maxDepth = 512

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// The value `bytes` hold.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONValueParseError) -> JSONValue {
        var parser = JSONValueParser(bytes)
        return try parser.document()
    }

    /// The value `bytes` hold, and the errors kube's strict decoding into `schema` reports
    /// (`unknown field "spec.foo"`, `duplicate field "spec.replicas"`) in document order; with no
    /// schema only duplicates are reported.
    static func parseStrict(_ bytes: UnsafeBufferPointer<UInt8>, state: StrictDecodingState) throws(JSONValueParseError) -> (JSONValue, StrictDecodingState) {
        var parser = JSONValueParser(bytes)
        parser.strict = state
        let value = try parser.document()
        return (value, parser.strict!)
    }

    private mutating func document() throws(JSONValueParseError) -> JSONValue {
        skipSpace()
        let value = try self.value(node: strict?.schema?.root)
        skipSpace()
        if index < bytes.count { throw error("after top-level value") }
        return value
    }

    private mutating func value(node: Int? = nil) throws(JSONValueParseError) -> JSONValue {
        guard index < bytes.count else { throw .endOfInput }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(node: node)
        case UInt8(ascii: "["): return try array(node: node)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("looking for beginning of value")
        }
    }

    private mutating func object(node: Int?) throws(JSONValueParseError) -> JSONValue {
        try enter()
        index += 1
        var members: [String: JSONValue] = [:]
        skipSpace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw error("looking for beginning of object key string") }
            let keyStart = index
            let key = try string()
            skipSpace()
            guard try peek() == UInt8(ascii: ":") else { throw error("after object key") }
            index += 1
            skipSpace()
            if strict == nil {
                members[key] = try value()
            } else {
                let bytes = self.bytes
                let child = strict!.enterMember(key, of: node, duplicate: members[key] != nil) {
                    1 + bytes[..<keyStart].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                }
                members[key] = try value(node: child)
                strict!.leave()
            }
            skipSpace()
            switch try peek() {
            case UInt8(ascii: ","):
                index += 1
                skipSpace()
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(members)
            default:
                throw error("after object key:value pair")
            }
        }
    }

    private mutating func array(node: Int?) throws(JSONValueParseError) -> JSONValue {
        try enter()
        index += 1
        var items: [JSONValue] = []
        skipSpace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(items)
        }
        while true {
            if strict == nil {
                items.append(try value())
            } else {
                let child = strict!.enterItem(items.count, of: node)
                items.append(try value(node: child))
                strict!.leaveItem()
            }
            skipSpace()
            switch try peek() {
            case UInt8(ascii: ","):
                index += 1
                skipSpace()
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(items)
            default:
                throw error("after array element")
            }
        }
    }

    /// A string literal; `index` is at its opening quote.
    private mutating func string() throws(JSONValueParseError) -> String {
        index += 1
        let start = index
        // Most strings have no escapes: one scan, then one validated copy.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try Self.text(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("in string literal") }
            index += 1
        }
        var unescaped = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try unescaped.withUnsafeBufferPointer { buffer throws(JSONValueParseError) in try Self.text(buffer) }
            case UInt8(ascii: "\\"):
                index += 1
                try escape(into: &unescaped)
            case ..<0x20:
                throw error("in string literal")
            default:
                unescaped.append(byte)
                index += 1
            }
        }
        throw .endOfInput
    }

    /// One escape sequence after its backslash.
    private mutating func escape(into out: inout [UInt8]) throws(JSONValueParseError) {
        guard index < bytes.count else { throw .endOfInput }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar), bytes[index...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) {
                let mark = index
                index += 2
                let low = try hex4()
                if (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    index = mark
                }
            }
            // A lone surrogate cannot be UTF-8; Go substitutes U+FFFD as here.
            out.append(contentsOf: String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
        default:
            index -= 1
            throw error("in string escape code")
        }
    }

    private mutating func hex4() throws(JSONValueParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw .endOfInput }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("in \\u hexadecimal character escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// A number: an integer when it has no fraction or exponent and fits, a double otherwise.
    private mutating func number() throws(JSONValueParseError) -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw .endOfInput }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if Self.isDigit(bytes[index]) {
            skipDigits()
        } else {
            throw error("in numeric literal")
        }
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard index < bytes.count else { throw .endOfInput }
            guard Self.isDigit(bytes[index]) else { throw error("after decimal point in numeric literal") }
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count else { throw .endOfInput }
            guard Self.isDigit(bytes[index]) else { throw error("in exponent of numeric literal") }
            skipDigits()
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if integral, let i = Int(text) { return .integer(i) }
        return .number(Double(text) ?? 0)
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONValueParseError) -> JSONValue {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for byte in expected {
            guard index < bytes.count else { throw .endOfInput }
            guard bytes[index] == byte else { throw error("in literal \(word) (expecting '\(Character(Unicode.Scalar(byte)))')") }
            index += 1
        }
        return value
    }

    private mutating func enter() throws(JSONValueParseError) {
        depth += 1
        if depth > Self.maxDepth { throw .tooDeep }
    }

    private func peek() throws(JSONValueParseError) -> UInt8 {
        guard index < bytes.count else { throw .endOfInput }
        return bytes[index]
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func skipDigits() {
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func text(_ utf8: UnsafeBufferPointer<UInt8>) throws(JSONValueParseError) -> String {
        guard let text = String(validating: utf8, as: UTF8.self) else { throw .invalidUTF8 }
        return text
    }

    private func error(_ context: String) -> JSONValueParseError {
        .invalidCharacter(index < bytes.count ? bytes[index] : 0, context: context, offset: index)
    }
}

/// Why JSON text could not be parsed, worded as Go's `encoding/json` words it.
public enum JSONValueParseError: Error, Equatable, CustomStringConvertible {
    /// A byte that cannot come where it came.
    case invalidCharacter(UInt8, context: String, offset: Int)
    /// The text stopped inside a value.
    case endOfInput
    /// A string is not valid UTF-8.
    case invalidUTF8
    /// Arrays and objects nest deeper than ``JSONValueParser/maxDepth``.
    case tooDeep

    public var description: String {
        switch self {
        case .invalidCharacter(let byte, let context, _): return "invalid character \(Self.quote(byte)) \(context)"
        case .endOfInput: return "unexpected end of JSON input"
        case .invalidUTF8: return "invalid UTF-8 in string"
        case .tooDeep: return "exceeded max depth"
        }
    }

    /// A byte as Go's `quoteChar` shows it.
    private static func quote(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "'"): return "'\\''"
        case UInt8(ascii: "\""): return "'\"'"
        case 0x20..<0x7F: return "'\(Character(Unicode.Scalar(byte)))'"
        default: return "'\\x\(byte < 0x10 ? "0" : "")\(String(byte, radix: 16))'"
        }
    }
}
