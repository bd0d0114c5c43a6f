/// kube-scheduler 1.33's default Filter plugins that matter without volumes and inter-pod
/// affinity, in the order its default profile runs them. Each answers nil (the node passes)
/// or the rejection with the plugin's exact reason text; the first rejection decides, as the
/// framework stops at the first failing filter of a node.
public enum SchedulerFilters {
    /// NodeUnschedulable's reason.
    public static let unschedulableReason = "node(s) were unschedulable"
    /// NodeName's reason.
    public static let nodeNameReason = "node(s) didn't match the requested node name"
    /// NodeAffinity's reason.
    public static let nodeAffinityReason = "node(s) didn't match Pod's node affinity/selector"
    /// NodePorts' reason.
    public static let nodePortsReason = "node(s) didn't have free ports for the requested pod ports"

    /// One filter.
    public typealias Filter = @Sendable (PodSchedulingInfo, NodeSchedulingInfo) -> FilterRejection?

    /// The filters in the default profile's order.
    public static let all: [Filter] = [nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodePorts, nodeResourcesFit]

    /// Runs the filters in order; the first rejection, or nil when the node fits.
    public static func run(_ pod: PodSchedulingInfo, on node: NodeSchedulingInfo) -> FilterRejection? {
        for filter in all {
            if let rejection = filter(pod, node) { return rejection }
        }
        return nil
    }

    /// NodeUnschedulable: a cordoned node takes only pods tolerating
    /// `node.kubernetes.io/unschedulable:NoSchedule`.
    public static func nodeUnschedulable(_ pod: PodSchedulingInfo, _ node: NodeSchedulingInfo) -> FilterRejection? {
        guard node.unschedulable else { return nil }
        let taint = Taint(key: "node.kubernetes.io/unschedulable", effect: "NoSchedule")
        return pod.tolerations.tolerate(taint) ? nil : .unresolvable("NodeUnschedulable", unschedulableReason)
    }

    /// NodeName: a pod naming a node fits only that node.
    public static func nodeName(_ pod: PodSchedulingInfo, _ node: NodeSchedulingInfo) -> FilterRejection? {
        pod.nodeName.isEmpty || pod.nodeName == node.name ? nil : .unresolvable("NodeName", nodeNameReason)
    }

    /// TaintToleration: the node's first `NoSchedule` or `NoExecute` taint the pod does not
    /// tolerate rejects it, named in the reason as `{key: value}`.
    public static func taintToleration(_ pod: PodSchedulingInfo, _ node: NodeSchedulingInfo) -> FilterRejection? {
        guard let taint = node.taints.first(where: { $0.blocksScheduling && !pod.tolerations.tolerate($0) }) else { return nil }
        return .unresolvable("TaintToleration", "node(s) had untolerated taint {\(taint.key): \(taint.value)}")
    }

    /// NodeAffinity: `spec.nodeSelector` must match the node's labels exactly, and one of the
    /// required node selector terms (if any) must match.
    public static func nodeAffinity(_ pod: PodSchedulingInfo, _ node: NodeSchedulingInfo) -> FilterRejection? {
        for (key, value) in pod.nodeSelector where node.labels[key] != value {
            return .unresolvable("NodeAffinity", nodeAffinityReason)
        }
        if let terms = pod.requiredNodeTerms,
           !terms.contains(where: { $0.matches(labels: node.labels, nodeName: node.name) }) {
            return .unresolvable("NodeAffinity", nodeAffinityReason)
        }
        return nil
    }

    /// NodePorts: every host port the pod binds must be free on the node.
    public static func nodePorts(_ pod: PodSchedulingInfo, _ node: NodeSchedulingInfo) -> FilterRejection? {
        guard !pod.hostPorts.isEmpty else { return nil }
        let used = node.usedPortSet
        return pod.hostPorts.contains { $0.conflicts(with: used) } ? .unschedulable("NodePorts", [nodePortsReason]) : nil
    }

    /// NodeResourcesFit: one more pod must fit `allocatable.pods`, and each requested resource
    /// the room left by the pods already there. Every shortfall is a reason of its own.
    public static func nodeResourcesFit(_ pod: PodSchedulingInfo, _ node: NodeSchedulingInfo) -> FilterRejection? {
        var reasons: [String] = []
        if Int64(node.podCount + 1) > node.allocatable.pods { reasons.append("Too many pods") }
        let want = pod.requests
        let free = node.allocatable - node.requested
        if want.milliCPU > 0 && want.milliCPU > free.milliCPU { reasons.append("Insufficient cpu") }
        if want.memory > 0 && want.memory > free.memory { reasons.append("Insufficient memory") }
        if want.ephemeralStorage > 0 && want.ephemeralStorage > free.ephemeralStorage {
            reasons.append("Insufficient ephemeral-storage")
        }
        for (name, amount) in want.scalars.sorted(by: { $0.key < $1.key }) where amount > 0 && amount > free.scalars[name, default: 0] {
            reasons.append("Insufficient \(name)")
        }
        return reasons.isEmpty ? nil : .unschedulable("NodeResourcesFit", reasons)
    }
}
