import KubeCore

/// A `resource.Quantity` as text (`100m`, `1`, `128Mi`, `1G`, `1e3`, `0.5`), read the way
/// apimachinery reads it: a signed decimal number times a suffix that is binary SI (`Ki`…`Ei`),
/// decimal SI (`n`, `u`, `m`, none, `k`, `M`, `G`, `T`, `P`, `E`) or a decimal exponent
/// (`e3`, `E-2`).
///
/// The value is kept exactly as `digits × 10^exponent × 1024^binaryPower`, so `value` and
/// `milliValue` round the way Go's `Value()` and `MilliValue()` do: up, away from zero.
public struct Quantity: Sendable, Hashable {
    /// The significant digits, with the sign.
    let digits: Int64
    /// The power of ten the digits are scaled by.
    let exponent: Int
    /// The power of 1024 the digits are scaled by.
    let binaryPower: Int

    /// Parses `text`; nil when apimachinery would refuse it.
    public init?(_ text: String) {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        let whole = rest.prefix { $0.isASCII && $0.isNumber }
        rest = rest.dropFirst(whole.count)
        var fraction = Substring("")
        if rest.first == "." {
            rest = rest.dropFirst()
            fraction = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(fraction.count)
        }
        guard !whole.isEmpty || !fraction.isEmpty else { return nil }
        guard let (exponent, binaryPower) = Self.suffix(rest) else { return nil }
        // Leading zeros carry nothing; digits past Int64's 18 safe ones are dropped from the
        // fraction only (a request of 0.0000000000000000001 cpu is not a real request).
        var significant = String(whole.drop { $0 == "0" }) + fraction
        var scale = -fraction.count
        while significant.count > 18, significant.last != nil, scale < 0 {
            significant.removeLast()
            scale += 1
        }
        guard significant.count <= 18 else { return nil }
        let magnitude = Int64(significant.isEmpty ? "0" : significant) ?? 0
        self.digits = negative ? -magnitude : magnitude
        self.exponent = scale + exponent
        self.binaryPower = binaryPower
    }

    /// The value of a JSON quantity: a string, or a bare number as some clients send.
    public init?(json: JSONValue) {
        switch json {
        case .string(let text): self.init(text)
        case .integer(let number): self.init(String(number))
        case .number(let number): self.init(String(number))
        default: return nil
        }
    }

    /// The (power of ten, power of 1024) a suffix means; nil for an unknown suffix.
    private static func suffix(_ text: Substring) -> (Int, Int)? {
        switch text {
        case "": return (0, 0)
        case "n": return (-9, 0)
        case "u": return (-6, 0)
        case "m": return (-3, 0)
        case "k": return (3, 0)
        case "M": return (6, 0)
        case "G": return (9, 0)
        case "T": return (12, 0)
        case "P": return (15, 0)
        case "E": return (18, 0)
        case "Ki": return (0, 1)
        case "Mi": return (0, 2)
        case "Gi": return (0, 3)
        case "Ti": return (0, 4)
        case "Pi": return (0, 5)
        case "Ei": return (0, 6)
        default:
            // `e3`, `E-2`: a decimal exponent (a bare `E` is exa, handled above).
            guard let first = text.first, first == "e" || first == "E", let power = Int(text.dropFirst()) else { return nil }
            return (power, 0)
        }
    }

    /// The value in units, rounded up (`Value()`): `1500m` is 2, `128Mi` is 134217728.
    public var value: Int64 { scaled(by: 0) }

    /// The value in thousandths, rounded up (`MilliValue()`): `1` is 1000, `100m` is 100.
    public var milliValue: Int64 { scaled(by: 3) }

    /// `digits × 10^(exponent + extra) × 1024^binaryPower`, rounded away from zero and
    /// saturated at Int64's range.
    private func scaled(by extra: Int) -> Int64 {
        guard digits != 0 else { return 0 }
        var magnitude = digits.magnitude
        var overflow = false
        for _ in 0..<binaryPower {
            (magnitude, overflow) = magnitude.multipliedReportingOverflow(by: 1024)
            if overflow { return saturated }
        }
        let power = exponent + extra
        if power >= 0 {
            for _ in 0..<power {
                (magnitude, overflow) = magnitude.multipliedReportingOverflow(by: 10)
                if overflow { return saturated }
            }
        } else {
            var divisor: UInt64 = 1
            for _ in 0..<(-power) {
                (divisor, overflow) = divisor.multipliedReportingOverflow(by: 10)
                if overflow { return digits < 0 ? -1 : 1 }  // a tiny non-zero amount rounds up to one unit
            }
            let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: divisor)
            magnitude = quotient + (remainder == 0 ? 0 : 1)
        }
        guard magnitude <= UInt64(Int64.max) else { return saturated }
        return digits < 0 ? -Int64(magnitude) : Int64(magnitude)
    }

    private var saturated: Int64 { digits < 0 ? Int64.min : Int64.max }
}
