import KubeCore

/// A Job's spec as the controller reads it, with the apiserver's `SetDefaults_Job` applied to
/// absent fields, so a Job stored without defaults behaves as one that has them.
public struct JobSpec: Sendable, Equatable {
    /// `metadata.name`.
    public var name: String
    /// `metadata.namespace`.
    public var namespace: String
    /// `metadata.uid`.
    public var uid: String
    /// `spec.parallelism` (default 1).
    public var parallelism: Int
    /// `spec.completions`; nil means work-queue semantics. Absent with no parallelism either,
    /// it defaults to 1, as the apiserver defaults it.
    public var completions: Int?
    /// `spec.backoffLimit` (default 6).
    public var backoffLimit: Int
    /// `spec.completionMode` (default `NonIndexed`).
    public var completionMode: String
    /// `spec.suspend`.
    public var suspended: Bool
    /// `spec.activeDeadlineSeconds`.
    public var activeDeadlineSeconds: Int?
    /// `spec.ttlSecondsAfterFinished`.
    public var ttlSecondsAfterFinished: Int?
    /// `spec.manualSelector`.
    public var manualSelector: Bool
    /// `spec.managedBy`; nil or `kubernetes.io/job-controller` means this controller.
    public var managedBy: String?
    /// Whether only `Failed` pods are replaced (`podReplacementPolicy: Failed`, or a pod
    /// failure policy), rather than terminating ones too.
    public var onlyReplaceFailedPods: Bool
    /// `spec.template.spec.restartPolicy`.
    public var restartPolicy: String
    /// Whether `metadata.deletionTimestamp` is set.
    public var beingDeleted: Bool

    /// Reads `job`.
    public init(_ job: JSONValue) {
        let meta = job["metadata"]
        let spec = job["spec"]
        name = meta?["name"]?.string ?? ""
        namespace = meta?["namespace"]?.string ?? "default"
        uid = meta?["uid"]?.string ?? ""
        let parallelismValue = spec?["parallelism"]?.int
        parallelism = max(0, parallelismValue ?? 1)
        completions = spec?["completions"]?.int ?? (parallelismValue == nil ? 1 : nil)
        backoffLimit = spec?["backoffLimit"]?.int ?? 6
        completionMode = spec?["completionMode"]?.string ?? "NonIndexed"
        suspended = spec?["suspend"]?.bool ?? false
        activeDeadlineSeconds = spec?["activeDeadlineSeconds"]?.int
        ttlSecondsAfterFinished = spec?["ttlSecondsAfterFinished"]?.int
        manualSelector = spec?["manualSelector"]?.bool ?? false
        managedBy = spec?["managedBy"]?.string
        onlyReplaceFailedPods = spec?["podReplacementPolicy"]?.string == "Failed"
            || (spec?["podFailurePolicy"].map { !$0.isNull } ?? false)
        restartPolicy = spec?["template"]?["spec"]?["restartPolicy"]?.string ?? "Never"
        beingDeleted = meta?["deletionTimestamp"].map { !$0.isNull } ?? false
    }

    /// Whether `completionMode` is `Indexed`.
    public var isIndexed: Bool { completionMode == "Indexed" }

    /// Whether the completion mode is one this controller knows.
    public var knownCompletionMode: Bool { completionMode == "Indexed" || completionMode == "NonIndexed" }

    /// Whether another controller manages the Job (`spec.managedBy` names someone else).
    public var managedElsewhere: Bool {
        managedBy.map { $0 != JobWellKnown.jobControllerName } ?? false
    }

    /// The label selector that finds the Job's pods, in list-query syntax: `spec.selector`
    /// when set, otherwise the controller-uid label the controller puts on every pod.
    public static func podSelector(of job: JSONValue) -> String {
        if let selector = job["spec"]?["selector"], !selector.isNull,
           let parsed = try? LabelSelector(json: selector), !parsed.isEverything {
            return parsed.description
        }
        return "\(JobWellKnown.controllerUIDLabel)=\(job["metadata"]?["uid"]?.string ?? "")"
    }
}
