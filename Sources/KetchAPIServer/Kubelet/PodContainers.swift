import KubeCore

/// Picks the container a `log` or `exec` request means, with the apiserver's error wording when
/// it cannot (kubectl prints these messages as they come).
public enum PodContainers {
    /// The names of `spec.containers`.
    public static func names(_ pod: JSONValue) -> [String] {
        (pod["spec"]?["containers"]?.array ?? []).compactMap { $0["name"]?.string }
    }

    /// The requested container, or the only one when none was named.
    /// - Throws: `KubeStatus` 400 when the pod is not bound to a node, the name is not one of its
    ///   containers, or a name is needed because the pod has several.
    public static func resolve(pod: JSONValue, requested: String?) throws(KubeStatus) -> String {
        let podName = pod["metadata"]?["name"]?.string ?? ""
        guard let node = pod["spec"]?["nodeName"]?.string, !node.isEmpty else {
            throw .badRequest("pod \(podName) does not have a host assigned")
        }
        let names = names(pod)
        if let requested, !requested.isEmpty {
            guard names.contains(requested) else {
                throw .badRequest("container \(requested) is not valid for pod \(podName)")
            }
            return requested
        }
        if names.count == 1 { return names[0] }
        // kubectl normally sends a container (the kubectl.kubernetes.io/default-container one or
        // the first); this is the apiserver's answer when it did not.
        throw .badRequest("a container name must be specified for pod \(podName), choose one of: [\(names.joined(separator: " "))]")
    }
}
