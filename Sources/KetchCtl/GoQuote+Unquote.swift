import Foundation
import GoText

/// Go's `%q` scanning (a double-quoted Go string or a back-quoted raw string), as etcdctl's txn
/// reads its compares and `Argify` its lines.
extension GoQuote {
    /// Unquotes the quoted string at the start of `s`; returns it and how many characters it used.
    static func unquote(_ s: String) -> (text: String, used: Int)? {
        let chars = Array(s)
        guard let first = chars.first else { return nil }
        if first == "`" {
            guard let close = chars.dropFirst().firstIndex(of: "`") else { return nil }
            return (String(chars[1..<close]), close + 1)
        }
        guard first == "\"" else { return nil }
        var out: [UInt8] = []
        var i = 1
        while i < chars.count {
            let c = chars[i]
            if c == "\"" { return (String(decoding: out, as: UTF8.self), i + 1) }
            if c == "\n" { return nil }
            if c != "\\" {
                out += Array(String(c).utf8)
                i += 1
                continue
            }
            i += 1
            guard i < chars.count else { return nil }
            let e = chars[i]
            i += 1
            switch e {
            case "a": out.append(7)
            case "b": out.append(8)
            case "f": out.append(12)
            case "n": out.append(10)
            case "r": out.append(13)
            case "t": out.append(9)
            case "v": out.append(11)
            case "\\": out.append(0x5C)
            case "\"": out.append(0x22)
            case "'": out.append(0x27)
            case "x", "u", "U":
                let n = e == "x" ? 2 : e == "u" ? 4 : 8
                guard i + n <= chars.count, let v = UInt32(String(chars[i..<i + n]), radix: 16) else { return nil }
                i += n
                if e == "x" {
                    out.append(UInt8(v))
                } else {
                    guard let scalar = Unicode.Scalar(v) else { return nil }
                    out += Array(String(Character(scalar)).utf8)
                }
            case "0"..."7":
                guard i + 2 <= chars.count, let v = UInt32(String([e] + chars[i..<i + 2]), radix: 8), v < 256 else { return nil }
                i += 2
                out.append(UInt8(v))
            default: return nil
            }
        }
        return nil
    }
}
