/// When a component that exited on its own is started again, as the kubelet restarts a static
/// Pod's container: delays double from ``first`` up to ``maximum``, and a run of at least
/// ``healthyRun`` starts the doubling over.
public struct RestartBackoff: Sendable, Equatable {
    /// The first delay.
    public var first: Duration
    /// The longest delay.
    public var maximum: Duration
    /// How long a run must last to count as healthy.
    public var healthyRun: Duration

    /// `ketch up`'s policy: 1s, 2s, 4s, 8s, then 10s; reset after 10s of running.
    public static let standard = RestartBackoff(first: .seconds(1), maximum: .seconds(10), healthyRun: .seconds(10))

    /// A policy with these delays.
    public init(first: Duration, maximum: Duration, healthyRun: Duration) {
        self.first = first
        self.maximum = maximum
        self.healthyRun = healthyRun
    }

    /// The delay before the next start, after a run that lasted `ran` and was preceded by a
    /// wait of `previous` (`nil` for the first run).
    public func delay(after ran: Duration, previous: Duration?) -> Duration {
        guard let previous, ran < healthyRun else { return first }
        return min(previous * 2, maximum)
    }
}
