/// Parses Go's `time.Duration` text (`5s`, `10m`, `1h30m`, `250ms`), the form etcd's
/// duration flags take.
public enum GoDuration {
    /// The duration `text` spells, or `nil` when Go's `time.ParseDuration` would refuse it
    /// (a number without a unit, other than `0`; an unknown unit).
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Duration)] = [
            ("ns", .nanoseconds(1)), ("us", .microseconds(1)), ("µs", .microseconds(1)), ("ms", .milliseconds(1)),
            ("s", .seconds(1)), ("m", .seconds(60)), ("h", .seconds(3600)),
        ]
        var rest = Substring(text)
        if rest == "0" { return .zero }
        var total = Duration.zero
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            // Longest unit first, so "ms" is not read as "m".
            guard let (unit, scale) = units.sorted(by: { $0.0.count > $1.0.count }).first(where: { rest.hasPrefix($0.0) })
            else { return nil }
            rest = rest.dropFirst(unit.count)
            total += scale * value
        }
        return total
    }
}
