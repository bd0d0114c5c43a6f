import Foundation

/// A JSON document as a value: what the /registry seed is made of. Objects print with sorted
/// keys, so the same input always stores the same bytes.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .integer(let i): try c.encode(i)
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Parses UTF-8 JSON text (see ``JSONValueParser``); errors are ``JSONValueParseError``s.
    public init(parsing data: Data) throws {
        self = try data.withUnsafeBytes { raw throws(JSONValueParseError) in
            try JSONValueParser.parse(raw.bindMemory(to: UInt8.self))
        }
    }

    /// Parses UTF-8 JSON text (see ``JSONValueParser``); errors are ``JSONValueParseError``s.
    public init(parsing bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBufferPointer { buffer throws(JSONValueParseError) in try JSONValueParser.parse(buffer) }
    }

    /// Compact JSON with sorted keys and unescaped slashes, as stored under /registry.
    public func encoded() throws -> Data { Data(try encodedBytes()) }

    /// Compact JSON with sorted keys and unescaped slashes, as stored under /registry.
    public func encodedBytes() throws -> [UInt8] {
        var writer = JSONValueWriter()
        try writer.write(self)
        return writer.bytes
    }

    /// The member `key` of an object, nil otherwise.
    public subscript(key: String) -> JSONValue? {
        get {
            if case .object(let o) = self { return o[key] }
            return nil
        }
        set {
            guard case .object(var o) = self else { return }
            o[key] = newValue
            self = .object(o)
        }
    }

    /// The text of a string, nil otherwise.
    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The items of an array, nil otherwise.
    public var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members of an object, nil otherwise.
    public var object: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }
}

extension JSONValue {
    /// The value of an integer, or of a number with no fractional part; nil otherwise.
    /// Both cases count because JSON does not tell `2` from `2.0` and clients differ.
    public var int: Int? {
        switch self {
        case .integer(let i): return i
        case .number(let d): return Int(exactly: d)
        default: return nil
        }
    }

    /// The value of a number or integer as a Double, nil otherwise.
    public var double: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    /// The value of a boolean, nil otherwise.
    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// Whether this is JSON `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value reached by following object members `path` from here (`["metadata", "name"]`);
    /// nil when a step is missing or not an object. The empty path is the value itself.
    public subscript(path path: [String]) -> JSONValue? {
        var current = self
        for key in path {
            guard let next = current[key] else { return nil }
            current = next
        }
        return current
    }

    /// The value at object-member `path`, settable: setting creates missing objects on the way
    /// (replacing non-objects) and setting nil removes the member.
    public subscript(at path: [String]) -> JSONValue? {
        get { self[path: path] }
        set {
            guard let first = path.first else {
                self = newValue ?? .null
                return
            }
            if object == nil { self = .object([:]) }
            guard path.count > 1 else {
                self[first] = newValue
                return
            }
            var child = self[first].flatMap { $0.object == nil ? nil : $0 } ?? .object([:])
            child[at: Array(path.dropFirst())] = newValue
            self[first] = child
        }
    }

    /// JSON equality: like `==` except that numbers compare by value, so `.integer(1)` equals
    /// `.number(1.0)`. Patches need this because the same number may arrive either way.
    public func isEquivalent(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.integer(let a), .integer(let b)): return a == b
        case (.integer, .number), (.number, .integer), (.number, .number):
            return double == other.double
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isEquivalent(to: $1) }
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let theirs = b[key], value.isEquivalent(to: theirs) else { return false }
            }
            return true
        default:
            return self == other
        }
    }
}
