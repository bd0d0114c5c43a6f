import Foundation

/// The time formats Kubernetes objects carry, always in UTC as the apiserver serialises them:
/// `metav1.Time` (RFC 3339, whole seconds), `metav1.MicroTime` (six fractional digits, Leases
/// and Events), Go's RFC3339Nano (kubelet annotations, `kubectl logs --timestamps`) and the plain
/// dates some ConfigMaps hold.
public enum KubeTime {
    /// `2006-01-02T15:04:05Z`: `metadata.creationTimestamp`, condition times, `startedAt`.
    public static func rfc3339(_ date: Date = Date()) -> String {
        let (base, _) = parts(date)
        return base + "Z"
    }

    /// `2006-01-02T15:04:05.000000Z`: `metav1.MicroTime`, e.g. a Lease's `renewTime`.
    public static func micro(_ date: Date) -> String {
        let (base, nanos) = parts(date)
        return base + "." + String(format: "%06d", nanos / 1000) + "Z"
    }

    /// `2006-01-02T15:04:05.999999999Z` as Go prints it: trailing zeros of the fraction dropped
    /// (and the dot with them), which is what `kubernetes.io/config.seen` and log prefixes look like.
    public static func rfc3339Nano(_ date: Date) -> String {
        let (base, nanos) = parts(date)
        guard nanos > 0 else { return base + "Z" }
        var fraction = String(format: "%09d", nanos)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return base + "." + fraction + "Z"
    }

    /// `2006-01-02`: the day of `date` in UTC.
    public static func day(_ date: Date) -> String {
        String(parts(date).0.prefix(10))
    }

    /// Parses RFC 3339 with or without a fraction, `Z` or a numeric offset (`+01:00` or `+0100`);
    /// nil otherwise.
    public static func parse(_ text: String) -> Date? {
        if let date = parseRFC3339(Array(text.utf8)) { return date }
        // Foundation's ISO 8601 reader takes the few spellings the scanner above does not.
        if text.isEmpty { return nil }
        if let d = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return d }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    private static func parseRFC3339(_ chars: [UInt8]) -> Date? {
        guard chars.count >= 20 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard i < chars.count, chars[i] >= 48, chars[i] <= 57 else { return nil }
                value = value * 10 + Int(chars[i] - 48)
            }
            return value
        }
        guard let year = number(0..<4), chars[4] == 45, let month = number(5..<7), chars[7] == 45,
              let day = number(8..<10), chars[10] == 84 || chars[10] == 32,
              let hour = number(11..<13), chars[13] == 58, let minute = number(14..<16), chars[16] == 58,
              let second = number(17..<19) else { return nil }
        var i = 19
        var fraction = 0.0
        if i < chars.count, chars[i] == 46 {
            i += 1
            var scale = 0.1
            while i < chars.count, chars[i] >= 48, chars[i] <= 57 {
                fraction += Double(chars[i] - 48) * scale
                scale /= 10
                i += 1
            }
        }
        guard i < chars.count else { return nil }
        var offset = 0
        switch chars[i] {
        case 90, 122: break // Z
        case 43, 45: // + or -
            let sign = chars[i] == 43 ? 1 : -1
            let rest = chars[(i + 1)...].filter { $0 != 58 }
            guard rest.count >= 4, let h = Int(String(decoding: rest.prefix(2), as: UTF8.self)),
                  let m = Int(String(decoding: rest.dropFirst(2).prefix(2), as: UTF8.self)) else { return nil }
            offset = sign * (h * 3600 + m * 60)
        default: return nil
        }
        var components = DateComponents()
        components.year = year; components.month = month; components.day = day
        components.hour = hour; components.minute = minute; components.second = second
        guard let date = utcCalendar.date(from: components) else { return nil }
        return date.addingTimeInterval(fraction - Double(offset))
    }

    private static let utcCalendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// `YYYY-MM-DDTHH:MM:SS` in UTC and the nanoseconds past that second. Built by hand because
    /// DateFormatter rounds to milliseconds and is not Sendable.
    private static func parts(_ date: Date) -> (String, Int) {
        let interval = date.timeIntervalSince1970
        var seconds = Int(interval.rounded(.down))
        var nanos = Int(((interval - Double(seconds)) * 1_000_000_000).rounded())
        if nanos >= 1_000_000_000 { seconds += 1; nanos -= 1_000_000_000 }
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                           from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let base = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1,
                          c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
        return (base, nanos)
    }
}
