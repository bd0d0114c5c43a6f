import Foundation
import Synchronization

/// client-go's `flowcontrol.Backoff` as the DaemonSet controller uses it for failed pods: per
/// key (DaemonSet, generation, node), a delay starting at one second and doubling to fifteen
/// minutes, reset after a quiet spell of twice the maximum. A node whose daemon pod keeps
/// failing then does not have it deleted and made again in a hot loop.
public final class FailedPodBackoff: Sendable {
    private struct Entry {
        var delay: Duration
        var lastUpdate: Date
    }

    /// The first delay.
    public let initial: Duration
    /// The longest delay.
    public let maximum: Duration
    private let entries = Mutex<[String: Entry]>([:])

    /// A back-off from `initial` up to `maximum` (kube-controller-manager: 1 s, 15 min).
    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(900)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// `IsInBackOffSinceUpdate`: whether less than the current delay has passed since `key`'s
    /// last failure.
    public func isBackingOff(_ key: String, now: Date) -> Bool {
        entries.withLock { table in
            guard let entry = table[key] else { return false }
            return Duration.seconds(now.timeIntervalSince(entry.lastUpdate)) < entry.delay
        }
    }

    /// The current delay of `key`; zero when it has none.
    public func delay(_ key: String) -> Duration {
        entries.withLock { $0[key]?.delay ?? .zero }
    }

    /// `Next`: records a failure of `key` at `now`, doubling its delay.
    public func next(_ key: String, now: Date) {
        entries.withLock { table in
            if let entry = table[key], Duration.seconds(now.timeIntervalSince(entry.lastUpdate)) <= maximum * 2 {
                table[key] = Entry(delay: min(entry.delay * 2, maximum), lastUpdate: now)
            } else {
                table[key] = Entry(delay: initial, lastUpdate: now)
            }
            // `GC`: drop entries quiet for long enough that they would reset anyway.
            if table.count > 4096 {
                table = table.filter { Duration.seconds(now.timeIntervalSince($0.value.lastUpdate)) <= maximum * 2 }
            }
        }
    }
}
