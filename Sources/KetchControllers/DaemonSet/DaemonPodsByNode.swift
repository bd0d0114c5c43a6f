import KubeCore

/// A DaemonSet's pods grouped by the node each is for (`getNodesToDaemonPods`): the node it
/// is bound to, or for a pod not bound yet, the node its affinity pins it to. Pods naming no
/// node are left out.
public struct DaemonPodsByNode: Sendable {
    /// Pods per node name.
    public var pods: [String: [JSONValue]]

    /// Groups `pods`.
    public init(_ pods: [JSONValue]) {
        var grouped: [String: [JSONValue]] = [:]
        for pod in pods {
            guard let node = DaemonPodTemplate.targetNode(of: pod) else { continue }
            grouped[node, default: []].append(pod)
        }
        self.pods = grouped
    }

    /// `podByCreationTimestampAndPhase`: bound pods first, then oldest first, then by name.
    public static func oldestFirst(_ pods: [JSONValue]) -> [JSONValue] {
        pods.sorted { a, b in
            let boundA = !PodReadiness.nodeName(a).isEmpty, boundB = !PodReadiness.nodeName(b).isEmpty
            if boundA != boundB { return boundA }
            let createdA = a[path: ["metadata", "creationTimestamp"]]?.string ?? ""
            let createdB = b[path: ["metadata", "creationTimestamp"]]?.string ?? ""
            if createdA == createdB { return ObjectMetadata.name(a) < ObjectMetadata.name(b) }
            return (PodReadiness.creationTime(a) ?? .distantPast) < (PodReadiness.creationTime(b) ?? .distantPast)
        }
    }

    /// `util.IsPodUpdated`: the pod carries the current revision hash, or the current template
    /// generation.
    public static func isUpdated(_ pod: JSONValue, hash: String, generation: Int?) -> Bool {
        let labels = ObjectMetadata.labels(pod)
        let templateMatches = generation.map { labels[DaemonSetWellKnown.templateGenerationLabel] == String($0) } ?? false
        let hashMatches = !hash.isEmpty && labels[DaemonSetWellKnown.revisionHashLabel] == hash
        return hashMatches || templateMatches
    }
}
