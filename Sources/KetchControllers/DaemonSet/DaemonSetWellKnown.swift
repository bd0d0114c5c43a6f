/// The label, annotation, taint and reason names the DaemonSet controller uses, as
/// `k8s.io/api` spells them.
public enum DaemonSetWellKnown {
    /// `controller-revision-hash`: the hash of the template revision a pod was made from.
    public static let revisionHashLabel = "controller-revision-hash"
    /// `pod-template-generation`: the template generation a pod was made from.
    public static let templateGenerationLabel = "pod-template-generation"
    /// `deprecated.daemonset.template.generation`: the template generation kube-apiserver keeps
    /// on a DaemonSet (bumped on every template change).
    public static let templateGenerationAnnotation = "deprecated.daemonset.template.generation"
    /// The controller's name in `--controllers` and as the events' source.
    public static let component = "daemonset-controller"
    /// `BurstReplicas`: the most pods created or deleted in one sync.
    public static let burstReplicas = 250
    /// `metadata.name`: the field a daemon pod's node affinity names its node by.
    public static let objectNameField = "metadata.name"

    /// Event reasons.
    public enum Reason {
        /// `SelectingAll`: a DaemonSet with an empty selector.
        public static let selectingAll = "SelectingAll"
        /// `FailedDaemonPod`: a daemon pod failed and will be replaced.
        public static let failedDaemonPod = "FailedDaemonPod"
        /// `SucceededDaemonPod`: a daemon pod exited and will be replaced.
        public static let succeededDaemonPod = "SucceededDaemonPod"
    }
}
