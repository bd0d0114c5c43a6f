import Foundation

/// etcdctl's exit codes (`cobrautl`).
enum CtlExit {
    static let success: Int32 = 0
    static let error: Int32 = 1
    static let badConnection: Int32 = 2
    static let invalidInput: Int32 = 3
    static let badFeature: Int32 = 4
    static let interrupted: Int32 = 5
    static let badArgs: Int32 = 128
}

/// An error that ends `ketch ctl` as etcdctl's `ExitWithError` does: `Error: <message>` on stderr.
struct CtlFailure: Error {
    var code: Int32
    var message: String
    /// Printed instead of `Error: …` when set (some etcdctl paths print their own line).
    var silent = false

    init(_ code: Int32, _ message: String) {
        self.code = code
        self.message = message
    }

    static func silentExit(_ code: Int32) -> CtlFailure {
        var f = CtlFailure(code, "")
        f.silent = true
        return f
    }
}

/// Unbuffered writes to stdout and stderr (a watch may be killed at any moment; nothing may stay in a buffer).
enum CtlIO {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func outBytes(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Formatting the way Go's fmt and etcdctl's helpers do.
enum GoFormat {
    /// `%x` of an unsigned number (no leading zeros).
    static func hex(_ n: UInt64) -> String { String(n, radix: 16) }

    /// `%016x`.
    static func hex16(_ n: Int64) -> String {
        let s = String(UInt64(bitPattern: n), radix: 16)
        return String(repeating: "0", count: max(0, 16 - s.count)) + s
    }

    /// etcdctl's `--hex` form of bytes: `\x66\x6f\x6f`.
    static func hexEscaped(_ bytes: [UInt8]) -> String {
        bytes.map { b in "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16) }.joined()
    }

    /// Go's `strconv.Quote` (`%q`) of bytes taken as a string.
    static func quote(_ bytes: [UInt8]) -> String {
        var out = "\""
        var i = 0
        while i < bytes.count {
            let (scalar, width) = decodeUTF8(bytes, at: i)
            guard let scalar else {
                out += String(format: "\\x%02x", bytes[i])
                i += 1
                continue
            }
            i += width
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                if isPrint(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x80 {
                    out += String(format: "\\x%02x", scalar.value)
                } else if scalar.value < 0x10000 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out += String(format: "\\U%08x", scalar.value)
                }
            }
        }
        return out + "\""
    }

    static func quote(_ text: String) -> String { quote(Array(text.utf8)) }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    static func isPrint(_ s: Unicode.Scalar) -> Bool {
        if s == " " { return true }
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
             .spaceSeparator:
            return false
        default:
            return true
        }
    }

    /// One UTF-8 sequence at `i`: the scalar and its length, or nil for an invalid byte.
    static func decodeUTF8(_ b: [UInt8], at i: Int) -> (Unicode.Scalar?, Int) {
        let c0 = b[i]
        if c0 < 0x80 { return (Unicode.Scalar(c0), 1) }
        let need: Int
        var value: UInt32
        switch c0 {
        case 0xC2...0xDF: need = 1; value = UInt32(c0 & 0x1F)
        case 0xE0...0xEF: need = 2; value = UInt32(c0 & 0x0F)
        case 0xF0...0xF4: need = 3; value = UInt32(c0 & 0x07)
        default: return (nil, 1)
        }
        for k in 1...need {
            guard i + k < b.count, b[i + k] & 0xC0 == 0x80 else { return (nil, 1) }
            value = value << 6 | UInt32(b[i + k] & 0x3F)
        }
        let minimum: UInt32 = need == 1 ? 0x80 : need == 2 ? 0x800 : 0x10000
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return (nil, 1) }
        return (scalar, need + 1)
    }

    /// Go's `time.Duration.String()`.
    static func duration(_ d: Duration) -> String {
        let (seconds, attoseconds) = d.components
        let ns = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        return duration(nanoseconds: ns)
    }

    static func duration(nanoseconds ns: Int64) -> String {
        if ns == 0 { return "0s" }
        let negative = ns < 0
        let v = ns.magnitude
        var text: String
        if v < 1000 {
            text = "\(v)ns"
        } else if v < 1_000_000 {
            text = fraction(v, unit: 1000, digits: 3) + "µs"
        } else if v < 1_000_000_000 {
            text = fraction(v, unit: 1_000_000, digits: 6) + "ms"
        } else {
            let hours = v / 3_600_000_000_000
            let minutes = (v / 60_000_000_000) % 60
            let rest = v % 60_000_000_000
            text = fraction(rest, unit: 1_000_000_000, digits: 9) + "s"
            if hours > 0 {
                text = "\(hours)h\(minutes)m" + text
            } else if minutes > 0 {
                text = "\(minutes)m" + text
            }
        }
        return negative ? "-" + text : text
    }

    private static func fraction(_ v: UInt64, unit: UInt64, digits: Int) -> String {
        let whole = v / unit
        var frac = String(v % unit)
        frac = String(repeating: "0", count: digits - frac.count) + frac
        while frac.hasSuffix("0") { frac.removeLast() }
        return frac.isEmpty ? "\(whole)" : "\(whole).\(frac)"
    }

    /// go-humanize's `Bytes` (SI units): `20 kB`, `1.2 MB`.
    static func humanBytes(_ s: UInt64) -> String {
        if s < 10 { return "\(s) B" }
        let sizes = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
        let e = floor(log(Double(s)) / log(1000))
        let suffix = sizes[Int(e)]
        let val = floor(Double(s) / pow(1000, e) * 10 + 0.5) / 10
        return String(format: val < 10 ? "%.1f %@" : "%.0f %@", val, suffix)
    }

    /// Go's `fmt.Sprint` of a `[]string`: `[a b]`.
    static func list(_ items: [String]) -> String { "[" + items.joined(separator: " ") + "]" }
}

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
        case .string(let s):
            out += "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "<", ">", "&", "\u{2028}", "\u{2029}":
                    out += String(format: "\\u%04x", scalar.value)
                default:
                    if scalar.value < 0x20 {
                        out += String(format: "\\u%04x", scalar.value)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            out += "\""
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

/// tablewriter as etcdctl configures it: upper-case centred headers, right-aligned cells.
enum GoTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let head = header.map { $0.uppercased() }
        var widths = head.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        let line = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+\n"
        func center(_ s: String, _ w: Int) -> String {
            let gap = w - s.count
            let left = gap / 2
            return String(repeating: " ", count: left) + s + String(repeating: " ", count: gap - left)
        }
        func right(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        var out = line
        out += "|" + zip(head, widths).map { " " + center($0, $1) + " " }.joined(separator: "|") + "|\n"
        out += line
        for row in rows {
            out += "|" + zip(row, widths).map { " " + right($0, $1) + " " }.joined(separator: "|") + "|\n"
        }
        if !rows.isEmpty { out += line }
        return out
    }
}
