import KubeCore

/// The two controllers that keep N copies of a pod template: apps/v1 ReplicaSets and core/v1
/// ReplicationControllers. Upstream runs the same code for both; what differs is the resource,
/// the shape of the selector and the name events are reported under.
public struct ReplicaSetFlavor: Sendable, Hashable {
    /// The resource reconciled.
    public let type: ResourceType
    /// The `--controllers` name and event source (`replicaset-controller`, `replication-controller`).
    public let component: String
    /// Whether `spec.selector` is a plain label map (ReplicationController) rather than a
    /// metav1.LabelSelector.
    let selectorIsMap: Bool

    /// apps/v1 ReplicaSet.
    public static let replicaSet = ReplicaSetFlavor(type: BuiltinResources.replicaSets,
                                                    component: "replicaset-controller", selectorIsMap: false)
    /// core/v1 ReplicationController.
    public static let replicationController = ReplicaSetFlavor(type: BuiltinResources.replicationControllers,
                                                               component: "replication-controller", selectorIsMap: true)

    /// The selector of `object`'s pods. A ReplicationController without one selects its
    /// template's labels, as the apiserver defaults it; an invalid selector selects nothing.
    public func selector(of object: JSONValue) -> LabelSelector {
        let spec = object["spec"] ?? .object([:])
        if selectorIsMap {
            var labels = spec["selector"]?.object ?? [:]
            if labels.isEmpty { labels = spec[path: ["template", "metadata", "labels"]]?.object ?? [:] }
            if labels.isEmpty { return .nothing }
            return (try? LabelSelector(json: .object(["matchLabels": .object(labels)]))) ?? .nothing
        }
        return (try? LabelSelector(json: spec["selector"] ?? .null)) ?? .nothing
    }

    /// `spec.replicas`, 1 when unset (the API default).
    public func replicas(of object: JSONValue) -> Int {
        object[path: ["spec", "replicas"]]?.int ?? 1
    }
}
