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

    /// Parses JSON text. Goes through JSONSerialization: Codable decoding of an untyped tree
    /// throws and catches on every guess and is a hundred times slower.
    public init(parsing data: Data) throws {
        self = JSONValue(foundation: try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    /// Converts what JSONSerialization returns.
    private init(foundation value: Any) {
        switch value {
        case let s as String:
            self = .string(s)
        case let n as NSNumber:
            if type(of: n) == Self.booleanType {
                self = .bool(n.boolValue)
            } else if let i = Int(exactly: n.doubleValue), !"fd".contains(String(cString: n.objCType)) {
                self = .integer(i)
            } else {
                self = .number(n.doubleValue)
            }
        case let a as [Any]:
            self = .array(a.map(JSONValue.init(foundation:)))
        case let o as [String: Any]:
            self = .object(o.mapValues(JSONValue.init(foundation:)))
        default:
            self = .null
        }
    }

    /// The class JSONSerialization uses for `true` and `false`.
    private static let booleanType: NSNumber.Type = type(of: NSNumber(value: true))

    /// Compact JSON with sorted keys and unescaped slashes, as stored under /registry.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
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
