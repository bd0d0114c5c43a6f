import Foundation

/// A lease as the store keeps it: keys attached to it die with it.
struct Lease {
    let id: Int64
    /// The TTL it was granted with, in seconds.
    let grantedTTL: Int64
    /// When it expires unless kept alive (monotonic: wall-clock jumps do not expire leases).
    var expiry: ContinuousClock.Instant
    /// Keys whose latest revision is attached to this lease.
    var keys: Set<Data> = []

    /// Seconds left, as etcd reports them (truncated; never below zero).
    func remaining(now: ContinuousClock.Instant) -> Int64 {
        let left = expiry - now
        return max(0, left.components.seconds)
    }
}

/// What a lease looks like from outside the store.
public struct LeaseInfo: Sendable, Equatable {
    public var id: Int64
    public var grantedTTL: Int64
    /// Seconds left before expiry.
    public var ttl: Int64
    /// Attached keys, in key order.
    public var keys: [Data]
}

/// Lease rules from etcd's lessor.
public enum LeaseLimits {
    /// etcd's minimum TTL for its default election timeout: ceil(1.5 × 10 ticks × 100 ms) seconds.
    public static let minimumTTL: Int64 = 2
    /// etcd's `MaxLeaseTTL` (about 285 years).
    public static let maximumTTL: Int64 = 9_000_000_000
}
