import Foundation

/// Time zones and time texts as Go's `time` package gives them to the cronjob controller.
public enum CronTimeZone {
    /// UTC: the zone kube-controller-manager runs in inside its container, and so the zone
    /// of schedules without a `timeZone`.
    public static let utc = TimeZone(identifier: "UTC")!

    /// Go's `time.LoadLocation`: `""` and `UTC` are UTC, `Local` the host's zone, anything
    /// else an IANA name; nil for a name the zone database does not know.
    public static func load(_ name: String) -> TimeZone? {
        switch name {
        case "", "UTC": return utc
        case "Local": return .current
        default:
            // Foundation also reads spellings such as `GMT+5` that Go refuses.
            guard let zone = TimeZone(identifier: name), zone.identifier == name else { return nil }
            return zone
        }
    }

    /// `time.RFC3339` of `date` in `zone`: `2006-01-02T15:04:05Z07:00`, `Z` at offset zero.
    public static func rfc3339(_ date: Date, in zone: TimeZone) -> String {
        let (c, offset) = components(date, zone)
        let base = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0,
                          c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
        guard offset != 0 else { return base + "Z" }
        let minutes = abs(offset) / 60
        return base + (offset < 0 ? "-" : "+") + String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    /// `time.RFC1123Z` of `date` in UTC: `Mon, 02 Jan 2006 15:04:05 -0700`.
    public static func rfc1123Z(_ date: Date) -> String {
        let (c, _) = components(date, utc)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return days[(c.weekday ?? 1) - 1] + ", " + String(format: "%02d ", c.day ?? 0) + months[(c.month ?? 1) - 1]
            + String(format: " %04d %02d:%02d:%02d +0000", c.year ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    private static func components(_ date: Date, _ zone: TimeZone) -> (DateComponents, Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let whole = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: whole)
        return (c, zone.secondsFromGMT(for: whole))
    }
}
