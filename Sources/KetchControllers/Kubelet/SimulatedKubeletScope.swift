import KubeCore

/// Which nodes and pods the simulated kubelet answers for: the control-plane node it was
/// started for (whose Node, Lease and mirror pods the apiserver's own emulation keeps) and
/// every Node annotated `ketch.dev/simulated: "true"`; on those, every pod but mirror pods.
public struct SimulatedKubeletScope: Sendable, Hashable {
    /// The annotation the kubelet puts on mirror pods of static pods.
    public static let mirrorAnnotation = "kubernetes.io/config.mirror"

    /// The control-plane node whose ordinary pods are simulated too; nil for none.
    public var controlPlaneNode: String?

    /// A scope including `controlPlaneNode`.
    public init(controlPlaneNode: String?) {
        self.controlPlaneNode = controlPlaneNode
    }

    /// Whether `node` is a simulated worker (Lease and heartbeat are this kubelet's job).
    public static func isSimulatedWorker(_ node: JSONValue) -> Bool {
        node["metadata"]?["annotations"]?[WorkerNode.simulatedAnnotation]?.string == "true"
    }

    /// Whether this kubelet runs the pods of `node`.
    public func owns(_ node: JSONValue) -> Bool {
        let name = node["metadata"]?["name"]?.string
        return (controlPlaneNode != nil && name == controlPlaneNode) || Self.isSimulatedWorker(node)
    }

    /// Whether `pod` is a mirror pod (its status belongs to the static pod's emulation).
    public static func isMirrorPod(_ pod: JSONValue) -> Bool {
        pod["metadata"]?["annotations"]?[mirrorAnnotation] != nil
    }

    /// The node `pod` is bound to, when it is a pod this kubelet may run.
    static func boundNode(of pod: JSONValue) -> String? {
        guard let node = pod["spec"]?["nodeName"]?.string, !node.isEmpty, !isMirrorPod(pod) else { return nil }
        return node
    }

    /// The node's InternalIP: its pods' `hostIP`.
    static func hostIP(of node: JSONValue) -> String {
        let addresses = node["status"]?["addresses"]?.array ?? []
        let internalIP = addresses.first { $0["type"]?.string == "InternalIP" } ?? addresses.first
        return internalIP?["address"]?.string ?? ""
    }

    /// The node's pod range: `spec.podCIDR`, else the first of `spec.podCIDRs`; nil before
    /// node-ipam has assigned one.
    static func podCIDR(of node: JSONValue) -> String? {
        let spec = node["spec"]
        if let cidr = spec?["podCIDR"]?.string, !cidr.isEmpty { return cidr }
        return spec?["podCIDRs"]?.array?.first?.string
    }
}
