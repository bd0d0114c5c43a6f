import Foundation

/// A string as Go's `encoding/json` writes it: quoted, with `json.Marshal`'s HTML-safe escapes
/// (`<`, `>`, `&`, U+2028 and U+2029 as `\u00XX`), as etcdctl's `-w json` and etcd's v2 API print.
public enum GoJSONString {
    /// `s` as a JSON string, quotes included.
    ///
    /// - Parameter escapingHTML: `false` leaves `<`, `>`, `&`, U+2028 and U+2029 as they are, as
    ///   Go's `json.Encoder.SetEscapeHTML(false)` and etcd's zap log lines do.
    public static func quoted(_ s: String, escapingHTML: Bool = true) -> String {
        var out = ""
        append(s, to: &out, escapingHTML: escapingHTML)
        return out
    }

    /// Appends `s` as a JSON string, quotes included, to `out` (see ``quoted(_:escapingHTML:)``).
    public static func append(_ s: String, to out: inout String, escapingHTML: Bool = true) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                if escapingHTML {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
