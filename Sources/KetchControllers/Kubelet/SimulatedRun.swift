import Foundation
import GoText
import KubeCore

/// How a simulated pod's app containers "run", from its spec and two annotations:
///
/// - `ketch.dev/simulated-exit-code`: the exit code the containers end with (default 0);
/// - `ketch.dev/simulated-run-duration`: how long they run first, as a Go duration such as
///   `3s` or `1m30s` (default one second).
///
/// A pod under a Job, or with `restartPolicy` Never or OnFailure, runs to completion. A pod
/// with `restartPolicy: Always` runs until deleted, unless one of the annotations is set: its
/// containers then exit and are restarted with the kubelet's back-off (CrashLoopBackOff).
public struct SimulatedRun: Sendable, Hashable {
    /// The annotation with the exit code.
    public static let exitCodeAnnotation = "ketch.dev/simulated-exit-code"
    /// The annotation with the run time.
    public static let runDurationAnnotation = "ketch.dev/simulated-run-duration"
    /// The run time without the annotation.
    public static let defaultRunDuration: Duration = .seconds(1)

    /// How long the containers run before exiting; nil when they run until deleted.
    public var runDuration: Duration?
    /// The exit code they end with.
    public var exitCode: Int
    /// `spec.restartPolicy` (`Always` when unset).
    public var restartPolicy: String

    /// The run of `pod`. Annotation values that do not parse are ignored.
    public init(pod: JSONValue, defaultRunDuration: Duration = SimulatedRun.defaultRunDuration) {
        let annotations = pod["metadata"]?["annotations"]
        let code = annotations?[Self.exitCodeAnnotation]?.string.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let duration = annotations?[Self.runDurationAnnotation]?.string.flatMap(GoDuration.parse)
        restartPolicy = pod["spec"]?["restartPolicy"]?.string ?? "Always"
        exitCode = code ?? 0
        let ownedByJob = OwnerReferences.controllerRef(of: pod)?.kind == "Job"
        let runsToCompletion = ownedByJob || restartPolicy != "Always"
        runDuration = runsToCompletion || code != nil || duration != nil ? (duration ?? defaultRunDuration) : nil
    }

    /// Whether a container that exited with `code` is started again (`Always`, or `OnFailure`
    /// after a failure).
    public func restarts(afterExitCode code: Int) -> Bool {
        restartPolicy == "Always" || (restartPolicy == "OnFailure" && code != 0)
    }
}
