/// Values as Go's `fmt` prints what `encoding/json` decodes into `interface{}`, for messages
/// kube-apiserver builds with `%+v` (a strategic merge patch in a strict decoding error).
public enum GoFormat {
    /// `fmt.Sprintf("%+v", value)`: `map[k:v k2:v2]` with sorted keys, `[a b]`, strings bare,
    /// `<nil>` for null.
    public static func plusV(_ value: JSONValue) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return float(d)
        case .string(let s): return s
        case .array(let items): return "[" + items.map(plusV).joined(separator: " ") + "]"
        case .object(let members):
            return "map[" + members.keys.sorted().map { "\($0):\(plusV(members[$0]!))" }.joined(separator: " ") + "]"
        }
    }

    /// A float64 as `%v` prints it: the shortest representation, with an exponent from 1e21.
    static func float(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e21 { return String(Int64(d)) }
        let text = "\(d)"
        guard let e = text.firstIndex(of: "e") else { return text }
        // Swift writes `1e-07`'s exponent as `e-07`; Go as `e-07` too, and `e+21` with a sign.
        let mantissa = text[..<e]
        var exponent = String(text[text.index(after: e)...])
        if !exponent.hasPrefix("-"), !exponent.hasPrefix("+") { exponent = "+" + exponent }
        let sign = exponent.first!
        var digits = String(exponent.dropFirst())
        if digits.count < 2 { digits = "0" + digits }
        return "\(mantissa)e\(sign)\(digits)"
    }
}
