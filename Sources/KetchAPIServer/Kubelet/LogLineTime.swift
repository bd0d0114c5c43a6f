import Foundation
import KubeCore

/// Recovers when a log line was written from the line itself. The CRI log format the kubelet
/// reads stores a time per line; `ketch up` writes the components' raw output instead, so the
/// time is read from the component's own log prefix: etcd-style JSON (`"ts":"…"`), an RFC 3339
/// prefix (swift-log, most Go loggers) or a klog header (`I0512 10:04:05.123456`).
enum LogLineTime {
    /// The line's time, or nil when it carries none recognisable.
    static func parse(_ line: Substring, now: Date = Date()) -> Date? {
        let bytes = line.utf8
        guard let first = bytes.first else { return nil }
        if first == UInt8(ascii: "{"), let range = line.range(of: "\"ts\":\"") {
            let rest = line[range.upperBound...]
            if let end = rest.firstIndex(of: "\"") { return KubeTime.parse(String(rest[..<end])) }
            return nil
        }
        if bytes.count >= 20, (48...57).contains(first) {
            let token = line.prefix { $0 != " " && $0 != "\t" }
            return KubeTime.parse(String(token))
        }
        if "IWEF".utf8.contains(first) { return klog(line, now: now) }
        return nil
    }

    /// `Lmmdd hh:mm:ss.uuuuuu`: klog leaves out the year and writes local time.
    private static func klog(_ line: Substring, now: Date) -> Date? {
        let chars = Array(line.utf8.prefix(21))
        guard chars.count >= 14, chars[5] == 32, chars[8] == 58, chars[11] == 58 else { return nil }
        func number(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { guard chars[i] >= 48, chars[i] <= 57 else { return nil }; v = v * 10 + Int(chars[i] - 48) }
            return v
        }
        guard let month = number(1..<3), let day = number(3..<5), let hour = number(6..<8),
              let minute = number(9..<11), let second = number(12..<14) else { return nil }
        var fraction = 0.0
        if chars.count > 15, chars[14] == 46 {
            var scale = 0.1
            for c in chars[15...] where c >= 48 && c <= 57 { fraction += Double(c - 48) * scale; scale /= 10 }
        }
        let calendar = Calendar.current
        var components = DateComponents()
        components.year = calendar.component(.year, from: now)
        components.month = month; components.day = day
        components.hour = hour; components.minute = minute; components.second = second
        guard var date = calendar.date(from: components) else { return nil }
        // A December line read in January belongs to last year.
        if date.timeIntervalSince(now) > 86_400, let earlier = calendar.date(byAdding: .year, value: -1, to: date) {
            date = earlier
        }
        return date.addingTimeInterval(fraction)
    }
}
