import Foundation
import GoText

/// A JSON value printed as Go's `encoding/json` prints (keys in struct order, HTML-safe escapes).
enum GoJSON: Sendable {
    case object([(String, GoJSON)])
    case array([GoJSON])
    case string(String)
    case int(Int64)
    case uint(UInt64)
    case bool(Bool)
    case null

    static func bytes(_ b: [UInt8]) -> GoJSON { .string(Data(b).base64EncodedString()) }

    var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .object(let fields):
            out += "{"
            for (i, (k, v)) in fields.enumerated() {
                if i > 0 { out += "," }
                GoJSON.string(k).write(into: &out)
                out += ":"
                v.write(into: &out)
            }
            out += "}"
        case .array(let items):
            out += "["
            for (i, v) in items.enumerated() {
                if i > 0 { out += "," }
                v.write(into: &out)
            }
            out += "]"
        case .string(let s): GoJSONString.append(s, to: &out)
        case .int(let n): out += String(n)
        case .uint(let n): out += String(n)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }
}

/// Builds a Go struct's JSON with `omitempty` fields.
struct GoJSONObject: Sendable {
    var fields: [(String, GoJSON)] = []

    mutating func add(_ key: String, _ value: GoJSON) { fields.append((key, value)) }

    mutating func omitEmpty(_ key: String, int: Int64) { if int != 0 { fields.append((key, .int(int))) } }
    mutating func omitEmpty(_ key: String, uint: UInt64) { if uint != 0 { fields.append((key, .uint(uint))) } }
    mutating func omitEmpty(_ key: String, bool: Bool) { if bool { fields.append((key, .bool(true))) } }
    mutating func omitEmpty(_ key: String, string: String) { if !string.isEmpty { fields.append((key, .string(string))) } }
    mutating func omitEmpty(_ key: String, bytes: [UInt8]) { if !bytes.isEmpty { fields.append((key, .bytes(bytes))) } }
    mutating func omitEmpty(_ key: String, array: [GoJSON]) { if !array.isEmpty { fields.append((key, .array(array))) } }

    var json: GoJSON { .object(fields) }
}
