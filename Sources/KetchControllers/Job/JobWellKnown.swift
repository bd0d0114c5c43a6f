/// The label, annotation, finalizer and condition names of `batch/v1` Jobs, as
/// `k8s.io/api/batch/v1` spells them.
public enum JobWellKnown {
    /// `batch.kubernetes.io/controller-uid`: the Job's uid on its pods (and default selector).
    public static let controllerUIDLabel = "batch.kubernetes.io/controller-uid"
    /// `batch.kubernetes.io/job-name`: the Job's name on its pods.
    public static let jobNameLabel = "batch.kubernetes.io/job-name"
    /// `controller-uid`: the pre-1.27 spelling, still set for selectors written against it.
    public static let legacyControllerUIDLabel = "controller-uid"
    /// `job-name`: the pre-1.27 spelling of ``jobNameLabel``.
    public static let legacyJobNameLabel = "job-name"
    /// `batch.kubernetes.io/job-completion-index`: an Indexed Job pod's index (annotation and label).
    public static let completionIndexKey = "batch.kubernetes.io/job-completion-index"
    /// `batch.kubernetes.io/job-tracking`: held on a pod until the Job has counted it.
    public static let trackingFinalizer = "batch.kubernetes.io/job-tracking"
    /// `kubernetes.io/job-controller`: the `spec.managedBy` value that means this controller.
    public static let jobControllerName = "kubernetes.io/job-controller"
    /// `JOB_COMPLETION_INDEX`: the env var an Indexed Job's containers read their index from.
    public static let completionIndexEnv = "JOB_COMPLETION_INDEX"
    /// The most pods one sync creates or deletes, and the most `uncountedTerminatedPods` entries.
    public static let maxPodChangesPerSync = 500

    /// Condition types.
    public enum Condition {
        /// `Complete`.
        public static let complete = "Complete"
        /// `Failed`.
        public static let failed = "Failed"
        /// `SuccessCriteriaMet`: set before `Complete`, while the last pods are counted.
        public static let successCriteriaMet = "SuccessCriteriaMet"
        /// `FailureTarget`: set before `Failed`, while the last pods are counted and terminated.
        public static let failureTarget = "FailureTarget"
        /// `Suspended`.
        public static let suspended = "Suspended"
    }

    /// Condition reasons.
    public enum Reason {
        /// `BackoffLimitExceeded`.
        public static let backoffLimitExceeded = "BackoffLimitExceeded"
        /// `DeadlineExceeded`.
        public static let deadlineExceeded = "DeadlineExceeded"
        /// `CompletionsReached`.
        public static let completionsReached = "CompletionsReached"
    }
}
