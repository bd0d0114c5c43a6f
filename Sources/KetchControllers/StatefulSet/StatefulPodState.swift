import Foundation
import KubeCore

/// What the StatefulSet controller reads from its pods' status (`stateful_set_utils.go`).
enum StatefulPodState {
    /// `isCreated`: the apiserver has given the pod a phase (placeholders for pods still to be
    /// made have none).
    static func isCreated(_ pod: JSONValue) -> Bool { !PodReadiness.phase(pod).isEmpty }

    /// `isRunningAndReady`: phase Running and the Ready condition True.
    static func isRunningAndReady(_ pod: JSONValue) -> Bool {
        PodReadiness.phase(pod) == "Running" && PodReadiness.isReady(pod)
    }

    /// `isRunningAndAvailable`: ready for `minReadySeconds` at `now`.
    static func isAvailable(_ pod: JSONValue, minReadySeconds: Int, now: Date) -> Bool {
        PodReadiness.isAvailable(pod, minReadySeconds: minReadySeconds, now: now)
    }

    /// `isUnavailable`: not available, or terminating.
    static func isUnavailable(_ pod: JSONValue, minReadySeconds: Int, now: Date) -> Bool {
        !isAvailable(pod, minReadySeconds: minReadySeconds, now: now) || PodReadiness.isTerminating(pod)
    }

    /// `isFailed || isSucceeded`: a pod that has stopped for good and must be made again.
    static func hasFinished(_ pod: JSONValue) -> Bool {
        let phase = PodReadiness.phase(pod)
        return phase == "Failed" || phase == "Succeeded"
    }
}
