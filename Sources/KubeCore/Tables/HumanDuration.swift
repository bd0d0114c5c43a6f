import Foundation

/// Kubernetes' approximate, human-readable durations, as every AGE column shows them
/// (k8s.io/apimachinery/pkg/util/duration.HumanDuration, copied rule for rule).
public enum HumanDuration {
    /// Formats a duration in seconds: `45s`, `3m10s`, `70m`, `5h3m`, `47h`, `2d1h`, `367d`,
    /// `2y1d`, `8y`. Up to one second in the future counts as now (clock skew between machines);
    /// further in the future is `<invalid>`.
    public static func format(_ duration: TimeInterval) -> String {
        // Go truncates toward zero at every step (int(d.Seconds()), d / time.Minute …).
        let seconds = Int(duration.rounded(.towardZero))
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let s = seconds % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let dy = (hours / 24) % 365
            return dy == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(dy)d"
        }
        return "\(hours / 24 / 365)y"
    }

    /// The age of a timestamp string at `now` (printers' `translateTimestampSince`):
    /// `<unknown>` when the timestamp is missing or unparseable.
    public static func since(_ timestamp: String?, now: Date) -> String {
        guard let timestamp, let date = KubeTime.parse(timestamp) else { return "<unknown>" }
        return format(now.timeIntervalSince(date))
    }
}
