/// A resource quantity as apimachinery's `resource.Quantity` reads and prints it: `500m`,
/// `1.5Gi`, `2e3`. The value is held exactly in nano units (kube rounds finer values up to
/// 1n), which covers every quantity below about 10^29.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// How the quantity was written, which decides how it prints (`resource.Format`).
    public enum Format: String, Sendable {
        /// Powers of 1024: `Ki`, `Mi`, …
        case binarySI = "BinarySI"
        /// Powers of 1000 and no suffix: `m`, `k`, `M`, …
        case decimalSI = "DecimalSI"
        /// `e<n>` / `E<n>` exponents.
        case decimalExponent = "DecimalExponent"
    }

    /// Why a string is not a quantity, with apimachinery's words.
    public enum ParseError: Error, Sendable, CustomStringConvertible {
        /// `resource.ErrFormatWrong`.
        case formatWrong
        /// `resource.ErrSuffix`.
        case suffix
        /// `resource.ErrNumeric`: the digits do not fit (here: above what nano units hold).
        case numeric

        public var description: String {
            switch self {
            case .formatWrong: return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            case .suffix: return "unable to parse quantity's suffix"
            case .numeric: return "unable to parse quantity's numeric value"
            }
        }
    }

    /// The value times 10^9.
    public let nanos: Int128
    /// The notation it prints in.
    public let format: Format

    /// A quantity of `nanos` nano units printed in `format`.
    public init(nanos: Int128, format: Format) {
        self.nanos = nanos
        self.format = format
    }

    /// `resource.ParseQuantity`.
    public init(parsing text: String) throws(ParseError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .formatWrong }
        let parts = try Self.split(bytes)
        let (base, exponent, format) = try Self.interpret(parts.suffix)
        // No digits at all (`Mi`, `e3`): Go's parse of the empty number fails.
        if parts.whole.isEmpty && parts.fraction.isEmpty { throw .numeric }
        // The mantissa as an integer with `scale` decimal places.
        var mantissa: Int128 = 0
        for digit in parts.whole + parts.fraction {
            let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
            let (m2, o2) = m1.addingReportingOverflow(Int128(digit - 48))
            if o1 || o2 { throw .numeric }
            mantissa = m2
        }
        // value = mantissa * base^exponent / 10^fractionDigits; nanos = value * 10^9, rounded up.
        var numerator = mantissa
        var denominatorPower = parts.fraction.count - 9
        if base == 2 {
            for _ in 0..<(exponent / 10) {
                let (m, o) = numerator.multipliedReportingOverflow(by: 1024)
                if o { throw .numeric }
                numerator = m
            }
        } else {
            denominatorPower -= exponent
        }
        while denominatorPower < 0 {
            let (m, o) = numerator.multipliedReportingOverflow(by: 10)
            if o { throw .numeric }
            numerator = m
            denominatorPower += 1
        }
        var divisor: Int128 = 1
        for _ in 0..<denominatorPower {
            let (m, o) = divisor.multipliedReportingOverflow(by: 10)
            if o { numerator = numerator == 0 ? 0 : 1; divisor = 1; break }
            divisor = m
        }
        var value = numerator / divisor
        if numerator % divisor != 0 { value += 1 }
        self.init(nanos: parts.negative ? -value : value, format: format)
    }

    /// A quantity written as JSON: a string, or a bare number (which Quantity's JSON decoding
    /// also accepts). Nil for anything that does not parse.
    public init?(json: JSONValue?) {
        switch json {
        case .string(let s)?: if let q = try? Quantity(parsing: s) { self = q } else { return nil }
        case .integer(let i)?: if let q = try? Quantity(parsing: String(i)) { self = q } else { return nil }
        case .number(let d)?: if let q = try? Quantity(parsing: "\(d)") { self = q } else { return nil }
        default: return nil
        }
    }

    /// The syntax error a JSON quantity field has, nil when it decodes.
    public static func decodeProblem(_ json: JSONValue) -> ParseError? {
        let text: String
        switch json {
        case .string(let s): text = s
        case .integer(let i): text = String(i)
        case .number(let d): text = "\(d)"
        default: return .formatWrong
        }
        do { _ = try Quantity(parsing: text); return nil } catch { return error }
    }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.nanos < rhs.nanos }
    public static func == (lhs: Quantity, rhs: Quantity) -> Bool { lhs.nanos == rhs.nanos }
    public func hash(into hasher: inout Hasher) { hasher.combine(nanos) }

    /// Whether the value is a whole number (`MilliValue() % 1000 == 0`, with milli rounding up).
    public var isInteger: Bool { nanos % 1_000_000_000 == 0 }

    /// `Value()`: the value rounded up to an integer.
    public var value: Int128 {
        let whole = nanos / 1_000_000_000
        return nanos % 1_000_000_000 > 0 ? whole + 1 : whole
    }

    /// `String()`: the canonical form (`1000m` → `1`, `1024Mi` → `1Gi`, `0.5` → `500m`).
    public var description: String {
        var format = self.format
        if format == .binarySI {
            // Small or fractional binary values print in decimal so nothing is rounded away.
            if (nanos > -1024 * 1_000_000_000 && nanos < 1024 * 1_000_000_000) || !isInteger { format = .decimalSI }
        }
        if format == .binarySI {
            var amount = nanos / 1_000_000_000
            var power = 0
            while amount != 0, amount % 1024 == 0, power < 6 {
                amount /= 1024
                power += 1
            }
            return String(amount) + ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power]
        }
        // Decimal: strip factors of ten, then bring the exponent down to a multiple of three.
        var amount = nanos
        var exponent = -9
        if amount == 0 { exponent = 0 }
        while amount != 0, amount % 10 == 0 {
            amount /= 10
            exponent += 1
        }
        switch ((exponent % 3) + 3) % 3 {
        case 1: amount *= 10; exponent -= 1
        case 2: amount *= 100; exponent -= 2
        default: break
        }
        return String(amount) + Self.decimalSuffix(exponent, format: format)
    }

    // MARK: - Parsing

    private struct Parts {
        var negative = false
        var whole: [UInt8] = []
        var fraction: [UInt8] = []
        var suffix: [UInt8] = []
    }

    /// `parseQuantityString`: sign, digits, optional fraction, then a suffix of
    /// `[eEinumkKMGTP]*[-+]?[0-9]*`.
    private static func split(_ s: [UInt8]) throws(ParseError) -> Parts {
        var parts = Parts()
        var pos = 0
        let end = s.count
        if s[0] == UInt8(ascii: "-") { parts.negative = true; pos += 1 } else if s[0] == UInt8(ascii: "+") { pos += 1 }
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        while pos < end, isDigit(s[pos]) { parts.whole.append(s[pos]); pos += 1 }
        if pos < end, s[pos] == UInt8(ascii: ".") {
            pos += 1
            while pos < end, isDigit(s[pos]) { parts.fraction.append(s[pos]); pos += 1 }
        }
        let suffixStart = pos
        let letters = Set("eEinumkKMGTP".utf8)
        while pos < end, letters.contains(s[pos]) { pos += 1 }
        if pos < end, s[pos] == UInt8(ascii: "-") || s[pos] == UInt8(ascii: "+") { pos += 1 }
        while pos < end, isDigit(s[pos]) { pos += 1 }
        if pos < end { throw .formatWrong }
        parts.suffix = Array(s[suffixStart..<end])
        return parts
    }

    /// `suffixHandler.interpret`: base, exponent and format of a suffix.
    private static func interpret(_ suffix: [UInt8]) throws(ParseError) -> (base: Int, exponent: Int, format: Format) {
        let text = String(decoding: suffix, as: UTF8.self)
        let decimal: [String: Int] = ["n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18]
        let binary: [String: Int] = ["Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60]
        if let e = decimal[text] { return (10, e, .decimalSI) }
        if let e = binary[text] { return (2, e, .binarySI) }
        if text.count > 1, text.first == "e" || text.first == "E", let e = Int(text.dropFirst()), abs(e) < 1000 {
            return (10, e, .decimalExponent)
        }
        throw .suffix
    }

    private static func decimalSuffix(_ exponent: Int, format: Format) -> String {
        if exponent == 0 { return "" }
        if format == .decimalSI {
            let table: [Int: String] = [-9: "n", -6: "u", -3: "m", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"]
            if let s = table[exponent] { return s }
        }
        return "e\(exponent)"
    }
}
