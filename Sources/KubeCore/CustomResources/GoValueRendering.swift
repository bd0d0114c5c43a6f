/// How Go prints the values of an unstructured object (`map[string]interface{}` holding
/// `string`, `int64`, `float64`, `bool`, nil, maps and slices) in `field.Error` messages:
/// `%v` for numbers, `%q` for strings, `%#v` for maps and slices, and `"null"` for nil.
enum GoValueRendering {
    /// The `BadValue` of a field error holding `value`, as `ErrorBody` prints it.
    static func badValue(_ value: JSONValue?) -> GoValue {
        switch value {
        case .string(let s)?: return .string(s)
        case .integer(let i)?: return .int(i)
        case .number(let d)?: return .raw(float(d))
        case .bool(let b)?: return .bool(b)
        // ErrorBody replaces nil with the string "null", which %q then quotes.
        case nil, .null?: return .string("null")
        case let compound?: return .raw(sharpV(compound))
        }
    }

    /// Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`): shortest digits, with
    /// an exponent below 1e-4 and from 1e+06 up (`1e+06`, `1.5`, `0.0001`, `1e-05`).
    static func float(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        var (digits, point) = shortestDigits(abs(value))
        let sign = value < 0 ? "-" : ""
        let exponent = point - 1
        if exponent < -4 || exponent >= 6 {
            let head = String(digits.removeFirst())
            let mantissa = digits.isEmpty ? head : head + "." + digits
            let magnitude = abs(exponent)
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + String(magnitude)
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
        let index = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<index] + "." + digits[index...]
    }

    /// The shortest round-trip decimal digits of a positive finite double and the position
    /// of the decimal point relative to them (value = 0.digits × 10^point).
    private static func shortestDigits(_ value: Double) -> (String, Int) {
        let text = "\(value)"  // Swift prints the shortest round-trip representation
        let parts = text.lowercased().split(separator: "e")
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        let integer = String(mantissa[0])
        let fraction = mantissa.count > 1 ? String(mantissa[1]) : ""
        var digits = integer + fraction
        var point = integer.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (digits.isEmpty ? "0" : digits, point)
    }

    /// Go's `%#v` of an unstructured value: `map[string]interface {}{"a":1}`,
    /// `[]interface {}{"x", 2}`, `interface {}(nil)` inside compounds.
    static func sharpV(_ value: JSONValue) -> String {
        switch value {
        case .null: return "interface {}(nil)"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return float(d)
        case .string(let s): return goQuoted(s)
        case .array(let items): return "[]interface {}{" + items.map(sharpV).joined(separator: ", ") + "}"
        case .object(let members):
            let entries = members.keys.sorted().map { goQuoted($0) + ":" + sharpV(members[$0]!) }
            return "map[string]interface {}{" + entries.joined(separator: ", ") + "}"
        }
    }

    /// An enum value as `kubeOpenAPIResultToFieldErrors` lists it among supported values: a
    /// string as is, anything else as its JSON.
    static func enumText(_ value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        return (try? value.encodedBytes()).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
