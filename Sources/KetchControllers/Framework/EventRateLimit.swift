import Foundation

/// A token bucket for an event recorder's writes, as the kubelet's `--event-qps` (default 50)
/// and `--event-burst` (default 100) limit its client: up to `burst` events go at once, then
/// `qps` a second. Events past the limit wait in the recorder's queue; they are late, not lost.
public struct EventRateLimit: Sendable, Equatable {
    /// Sustained events per second.
    public var qps: Double
    /// Events that may go at once after a quiet spell.
    public var burst: Int

    /// A limit of `qps` a second with bursts of `burst`.
    public init(qps: Double, burst: Int) {
        self.qps = qps
        self.burst = burst
    }

    /// The kubelet's defaults (`eventRecordQPS: 50`, `eventBurst: 100`).
    public static let kubelet = EventRateLimit(qps: 50, burst: 100)

    /// The bucket's state: tokens left at `last`.
    struct Bucket {
        let limit: EventRateLimit
        var tokens: Double
        var last: ContinuousClock.Instant

        init(limit: EventRateLimit, now: ContinuousClock.Instant) {
            self.limit = limit
            self.tokens = Double(limit.burst)
            self.last = now
        }

        /// Takes one token at `now`; returns how long to wait first (zero when one is there).
        mutating func take(now: ContinuousClock.Instant) -> Duration {
            let elapsed = now - last
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            tokens = min(Double(limit.burst), tokens + seconds * limit.qps)
            last = now
            tokens -= 1
            guard tokens < 0, limit.qps > 0 else { return .zero }
            return .nanoseconds(Int64((-tokens / limit.qps * 1e9).rounded(.up)))
        }
    }
}
