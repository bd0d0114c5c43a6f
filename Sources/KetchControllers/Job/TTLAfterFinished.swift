import Foundation
import KubeCore

/// When a finished Job's `ttlSecondsAfterFinished` runs out, as the `ttl-after-finished`
/// controller reckons it: from the transition time of its `Complete` or `Failed` condition.
public enum TTLAfterFinished {
    /// What to do with a Job at some moment.
    public enum Decision: Sendable, Equatable {
        /// No TTL, not finished, or already being deleted: nothing, now or later.
        case ignore
        /// The TTL runs out after this long.
        case wait(Duration)
        /// The TTL has run out: delete the Job.
        case delete
    }

    /// When `job` expires; nil when it needs no clean-up (`needsCleanup`).
    public static func expiry(of job: JSONValue) -> Date? {
        let spec = JobSpec(job)
        guard let ttl = spec.ttlSecondsAfterFinished, !spec.beingDeleted,
              let finished = JobConditions.finishTime(job) else { return nil }
        return finished.addingTimeInterval(TimeInterval(ttl))
    }

    /// The decision for `job` at `now`.
    public static func decide(_ job: JSONValue, now: Date) -> Decision {
        guard let expiry = expiry(of: job) else { return .ignore }
        let left = expiry.timeIntervalSince(now)
        return left > 0 ? .wait(.seconds(left)) : .delete
    }
}
