/// A bad value as `field.Error` prints it: Go's `%q` for strings, `%v` for numbers and
/// booleans, `null` for nil, and nothing at all for an omitted value.
public enum GoValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// A string, quoted.
    case string(String)
    /// An integer.
    case int(Int)
    /// A floating-point number, as Go's `%v` prints a float64.
    case number(Double)
    /// A boolean.
    case bool(Bool)
    /// Go's nil (a nil pointer or interface), which `field.Error` prints as the string `"null"`.
    case null
    /// Text printed as it is: a Go `%#v` or `String()` rendering such as
    /// `map[string]string{"app":"web"}` or a quantity `1Gi`.
    case raw(String)
    /// `field.OmitValueType{}`: the message has no value part.
    case omitted

    /// A string value.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer value.
    public init(integerLiteral value: Int) { self = .int(value) }

    /// The value of a JSON field as Go would hold it after decoding into its typed field.
    public init(_ json: JSONValue?) {
        switch json {
        case .string(let s)?: self = .string(s)
        case .integer(let i)?: self = .int(i)
        case .number(let d)?: self = .number(d)
        case .bool(let b)?: self = .bool(b)
        case nil, .null?: self = .null
        case let other?: self = .raw((try? other.encodedBytes()).map { String(decoding: $0, as: UTF8.self) } ?? "")
        }
    }

    /// The text `ErrorBody` puts after the error type; empty for an omitted value.
    public var formatted: String {
        switch self {
        case .string(let s): return goQuoted(s)
        case .int(let i): return String(i)
        case .number(let d): return d == d.rounded() && abs(d) < 1e21 ? String(Int(d)) : String(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return goQuoted("null")
        case .raw(let text): return text
        case .omitted: return ""
        }
    }
}
