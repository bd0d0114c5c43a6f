import Foundation

/// Parsing and printing of `metav1.Time` (RFC 3339, seconds) and `metav1.MicroTime`
/// (RFC 3339 with fractional seconds) as they appear in stored objects.
public enum KubeTime {
    /// The date of an RFC 3339 timestamp, with or without fractional seconds; nil otherwise.
    public static func parse(_ text: String) -> Date? {
        if text.isEmpty { return nil }
        if let d = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return d }
        if let d = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return d }
        return nil
    }

    /// `2006-01-02T15:04:05Z`: how kube prints a `metav1.Time` (UTC, whole seconds).
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
