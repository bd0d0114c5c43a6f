import Foundation

/// `time.LoadLocation` as the CronJob validation uses it: whether an IANA zone name is known.
enum TimeZoneCheck {
    /// Whether `name` names a zone of the tz database (`UTC` included).
    static func isKnown(_ name: String) -> Bool {
        if name == "UTC" || name.isEmpty { return true }
        return TimeZone(identifier: name) != nil
    }
}
