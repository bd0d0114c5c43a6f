import Foundation
import KubeCore

/// What workload controllers read from a Pod's status, as upstream's `podutil` and
/// `controller.IsPodActive` helpers do.
public enum PodReadiness {
    /// `status.phase`; empty when unset.
    public static func phase(_ pod: JSONValue) -> String {
        pod[path: ["status", "phase"]]?.string ?? ""
    }

    /// Whether the pod still counts towards its controller's replicas: not Succeeded, not
    /// Failed and not being deleted (`controller.IsPodActive`).
    public static func isActive(_ pod: JSONValue) -> Bool {
        let phase = phase(pod)
        return phase != "Succeeded" && phase != "Failed" && !isTerminating(pod)
    }

    /// Whether `metadata.deletionTimestamp` is set.
    public static func isTerminating(_ pod: JSONValue) -> Bool {
        ObjectMetadata.isDeleting(pod)
    }

    /// The `Ready` condition, if the pod has one.
    public static func readyCondition(_ pod: JSONValue) -> JSONValue? {
        pod[path: ["status", "conditions"]]?.array?.first { $0["type"]?.string == "Ready" }
    }

    /// Whether the `Ready` condition is `True`.
    public static func isReady(_ pod: JSONValue) -> Bool {
        readyCondition(pod)?["status"]?.string == "True"
    }

    /// When the pod last became ready: the `Ready` condition's `lastTransitionTime`, nil when
    /// the pod is not ready or the time is missing.
    public static func readyTime(_ pod: JSONValue) -> Date? {
        guard isReady(pod), let text = readyCondition(pod)?["lastTransitionTime"]?.string else { return nil }
        return KubeTime.parse(text)
    }

    /// Whether the pod has been ready for at least `minReadySeconds` at `now`
    /// (`podutil.IsPodAvailable`): with 0 any ready pod is available.
    public static func isAvailable(_ pod: JSONValue, minReadySeconds: Int, now: Date) -> Bool {
        guard isReady(pod) else { return false }
        if minReadySeconds == 0 { return true }
        guard let text = readyCondition(pod)?["lastTransitionTime"]?.string, let since = KubeTime.parse(text) else {
            return false
        }
        return since.addingTimeInterval(TimeInterval(minReadySeconds)) < now
    }

    /// The highest `restartCount` among the pod's containers.
    public static func maxContainerRestarts(_ pod: JSONValue) -> Int {
        let statuses = pod[path: ["status", "containerStatuses"]]?.array ?? []
        return statuses.map { $0["restartCount"]?.int ?? 0 }.max() ?? 0
    }

    /// `spec.nodeName`; empty for a pod not scheduled yet.
    public static func nodeName(_ pod: JSONValue) -> String {
        pod[path: ["spec", "nodeName"]]?.string ?? ""
    }

    /// `metadata.creationTimestamp`, nil when missing.
    public static func creationTime(_ object: JSONValue) -> Date? {
        object[path: ["metadata", "creationTimestamp"]]?.string.flatMap(KubeTime.parse)
    }
}
