import Foundation
import KubeCore

/// What the Job controller reads from its pods, beyond the common ``PodReadiness`` helpers.
public enum JobPodState {
    /// `metadata.uid`.
    public static func uid(_ pod: JSONValue) -> String { ObjectMetadata.uid(pod) }

    /// Whether the pod has finished with success.
    public static func isSucceeded(_ pod: JSONValue) -> Bool { PodReadiness.phase(pod) == "Succeeded" }

    /// Whether the pod counts as failed (`isPodFailed`): phase Failed, or, unless only failed pods
    /// are replaced, deleted before it succeeded (so orphans that never reach Failed count).
    public static func isFailed(_ pod: JSONValue, onlyReplaceFailedPods: Bool) -> Bool {
        let phase = PodReadiness.phase(pod)
        if phase == "Failed" { return true }
        if onlyReplaceFailedPods { return false }
        return ObjectMetadata.isDeleting(pod) && phase != "Succeeded"
    }

    /// Whether the pod is being deleted but still runs (`controller.IsPodTerminating`).
    public static func isTerminating(_ pod: JSONValue) -> Bool {
        let phase = PodReadiness.phase(pod)
        return ObjectMetadata.isDeleting(pod) && phase != "Succeeded" && phase != "Failed"
    }

    /// Whether the pod still holds `batch.kubernetes.io/job-tracking`.
    public static func hasTrackingFinalizer(_ pod: JSONValue) -> Bool {
        (pod["metadata"]?["finalizers"]?.array ?? []).contains(.string(JobWellKnown.trackingFinalizer))
    }

    /// The pod's completion index from its annotation; nil when missing or not a natural number.
    public static func completionIndex(_ pod: JSONValue) -> Int? {
        guard let text = ObjectMetadata.annotations(pod)[JobWellKnown.completionIndexKey],
              let index = Int(text), index >= 0 else { return nil }
        return index
    }

    /// The restarts of all containers and init containers (`pastBackoffLimitOnFailure`).
    public static func totalRestarts(_ pod: JSONValue) -> Int {
        ["initContainerStatuses", "containerStatuses"].reduce(0) { sum, field in
            sum + (pod["status"]?[field]?.array ?? []).reduce(0) { $0 + ($1["restartCount"]?.int ?? 0) }
        }
    }

    /// When the pod finished (`getFinishedTime`): the last container's `finishedAt` when all
    /// have terminated, else a `Ready=False` transition, else the deletion time less the grace
    /// period, else its creation.
    public static func finishedTime(_ pod: JSONValue) -> Date {
        if let time = containersFinishedTime(pod) { return time }
        if let ready = PodReadiness.readyCondition(pod), ready["status"]?.string == "False",
           let time = ready["lastTransitionTime"]?.string.flatMap(KubeTime.parse) {
            return time
        }
        if let deletion = pod["metadata"]?["deletionTimestamp"]?.string.flatMap(KubeTime.parse) {
            let grace = pod["metadata"]?["deletionGracePeriodSeconds"]?.int ?? 0
            return deletion.addingTimeInterval(-TimeInterval(grace))
        }
        return PodReadiness.creationTime(pod) ?? .distantPast
    }

    private static func containersFinishedTime(_ pod: JSONValue) -> Date? {
        var latest: Date?
        for status in pod["status"]?["containerStatuses"]?.array ?? [] {
            guard let finished = status["state"]?["terminated"]?["finishedAt"]?.string.flatMap(KubeTime.parse) else {
                return nil
            }
            latest = max(latest ?? finished, finished)
        }
        return latest
    }
}
