import Foundation
import KubeCore

/// The delay before a Job replaces failed pods: 10 s after the first failure since the last
/// success, doubling with each further failure up to 10 minutes (`backoffRecord`).
///
/// Upstream keeps the failure count in memory and loses it on restart; here it is read from the
/// pods themselves, so a restarted controller keeps backing off.
public enum JobPodBackoff {
    /// `DefaultJobPodFailureBackOff`.
    public static let initialDelay: Duration = .seconds(10)
    /// `MaxJobPodFailureBackOff`.
    public static let maxDelay: Duration = .seconds(600)

    /// How long to wait at `now` before creating pods again; zero when no wait is due.
    public static func remaining(pods: [JSONValue], now: Date) -> Duration {
        let lastSuccess = pods.filter(JobPodState.isSucceeded).map(JobPodState.finishedTime).max()
        let failures = pods.filter(countsAsFailure).map(JobPodState.finishedTime)
            .filter { lastSuccess == nil || $0 > lastSuccess! }
        guard let lastFailure = failures.max() else { return .zero }
        return remaining(failures: failures.count, lastFailure: lastFailure, now: now)
    }

    /// The wait after `failures` consecutive failures, the last at `lastFailure`.
    public static func remaining(failures: Int, lastFailure: Date, now: Date) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = initialDelay
        for _ in 1..<failures {
            delay *= 2
            if delay >= maxDelay {
                delay = maxDelay
                break
            }
        }
        let elapsed = Duration.seconds(now.timeIntervalSince(lastFailure))
        return delay < elapsed ? .zero : delay - elapsed
    }

    /// Failed pods, and pods deleted before finishing that the Job had not released (the ones
    /// it deletes itself lose their finalizer first and are no failure).
    static func countsAsFailure(_ pod: JSONValue) -> Bool {
        let phase = PodReadiness.phase(pod)
        if phase == "Failed" { return true }
        return phase != "Succeeded" && ObjectMetadata.isDeleting(pod) && JobPodState.hasTrackingFinalizer(pod)
    }
}
