/// The label and reason names of apps/v1 StatefulSets, as `k8s.io/api/apps/v1` spells them.
public enum StatefulSetWellKnown {
    /// `statefulset.kubernetes.io/pod-name`: the pod's own name, for per-pod Services.
    public static let podNameLabel = "statefulset.kubernetes.io/pod-name"
    /// `apps.kubernetes.io/pod-index`: the pod's ordinal (PodIndexLabel, on by default since 1.28).
    public static let podIndexLabel = "apps.kubernetes.io/pod-index"
    /// `controller-revision-hash`: the name of the revision a pod was made from.
    public static let revisionLabel = "controller-revision-hash"
    /// The controller's name in `--controllers` and as the events' source.
    public static let component = "statefulset-controller"
}
