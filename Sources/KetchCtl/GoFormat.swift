import Foundation

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
