/// Go's `strconv.Quote` (`%q`), for messages that must match etcdctl's and kube-apiserver's
/// byte for byte (`Invalid value: "abc"`, `parsing "x": invalid syntax`).
///
/// Printable characters stay as they are; `"` and `\` are escaped; `\a \b \f \n \r \t \v` use
/// their short escapes; other ASCII control characters and bytes that are not UTF-8 become
/// `\xHH`, and other unprintable characters `\uHHHH` or `\UHHHHHHHH` (lower-case hex, as Go
/// writes them).
public enum GoQuote {
    /// `bytes` taken as a Go string (invalid UTF-8 kept as `\xHH`), quoted.
    public static func quote(_ bytes: [UInt8]) -> String {
        var out = "\""
        var i = 0
        while i < bytes.count {
            let (scalar, width) = decodeUTF8(bytes, at: i)
            guard let scalar else {
                out += "\\x" + hex(UInt32(bytes[i]), width: 2)
                i += 1
                continue
            }
            i += width
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where isPrint(scalar): out.unicodeScalars.append(scalar)
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            case _ where scalar.value < 0x80: out += "\\x" + hex(scalar.value, width: 2)
            case _ where scalar.value < 0x10000: out += "\\u" + hex(scalar.value, width: 4)
            default: out += "\\U" + hex(scalar.value, width: 8)
            }
        }
        return out + "\""
    }

    /// `text`, quoted.
    public static func quote(_ text: String) -> String { quote(Array(text.utf8)) }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    public static func isPrint(_ s: Unicode.Scalar) -> Bool {
        if s == " " { return true }
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
             .spaceSeparator:
            return false
        default:
            return true
        }
    }

    /// One UTF-8 sequence at `i`: the scalar and its length, or nil (length 1) for a byte that
    /// does not start a valid, shortest-form sequence, as Go's `utf8.DecodeRune` decides.
    public static func decodeUTF8(_ b: [UInt8], at i: Int) -> (Unicode.Scalar?, Int) {
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

    /// `value` in lower-case hex, zero-padded to `width` digits.
    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
