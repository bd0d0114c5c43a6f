extension BuiltinResources {
    // MARK: metrics.k8s.io/v1beta1

    /// The verbs metrics-server 0.7–0.8 serves: read-only, no watch.
    static let readOnly = ["get", "list"]

    /// metrics.k8s.io/v1beta1 NodeMetrics: simulated usage, computed on each request and stored
    /// nowhere. metrics-server reports no singular name (its storage's `GetSingularName` is "").
    public static let nodeMetrics = ResourceType(
        group: "metrics.k8s.io", version: "v1beta1", kind: "NodeMetrics", plural: "nodes", singular: "",
        namespaced: false, verbs: readOnly, storagePrefix: "metrics.k8s.io/nodes")
    /// metrics.k8s.io/v1beta1 PodMetrics: simulated usage of Running pods.
    public static let podMetrics = ResourceType(
        group: "metrics.k8s.io", version: "v1beta1", kind: "PodMetrics", plural: "pods", singular: "",
        namespaced: true, verbs: readOnly, storagePrefix: "metrics.k8s.io/pods")
}
