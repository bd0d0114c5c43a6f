import Foundation

/// The time formats kube-apiserver stores: `metav1.Time` (RFC 3339, seconds, UTC),
/// `metav1.MicroTime` (microseconds) and the plain dates some ConfigMaps carry.
enum KubernetesTime {
    static func time(_ date: Date) -> String { format(date, "yyyy-MM-dd'T'HH:mm:ss'Z'") }
    static func microTime(_ date: Date) -> String { format(date, "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'") }
    static func day(_ date: Date) -> String { format(date, "yyyy-MM-dd") }

    private static func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
