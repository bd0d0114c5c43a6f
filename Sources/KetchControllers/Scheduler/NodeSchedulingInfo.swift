import KubeCore

/// A node as the scheduler sees it, as kube-scheduler's `NodeInfo`: what the Node object
/// says (labels, taints, allocatable) and the running totals of the pods assigned or assumed
/// to it. Totals are kept per pod priority too, so the preemption dry run can ask what would
/// be free without the lower-priority pods.
public struct NodeSchedulingInfo: Sendable {
    /// What the pods of one priority hold on the node.
    struct PriorityShare: Sendable {
        var requests = ResourceAmounts()
        var pods = 0
        var ports: [HostPort: Int] = [:]
    }

    /// `metadata.name`.
    public var name: String
    /// `metadata.labels`.
    public var labels: [String: String] = [:]
    /// `spec.taints`, in order.
    public var taints: [Taint] = []
    /// `spec.unschedulable` (`kubectl cordon`).
    public var unschedulable = false
    /// `status.allocatable`.
    public var allocatable = ResourceAmounts()
    /// Whether the Node object exists (pods may name a node that is gone or not yet seen).
    public var hasNode = false
    /// The sum of the requests of the pods on the node.
    public private(set) var requested = ResourceAmounts()
    /// The same with request-less containers at the scoring defaults.
    public private(set) var nonZeroRequested = ResourceAmounts()
    /// How many pods are on the node.
    public private(set) var podCount = 0
    /// The host ports in use, with how many pods use each.
    public private(set) var usedPorts: [HostPort: Int] = [:]
    /// Pods on the node per controller-owner uid, for spreading replicas.
    public private(set) var ownerCounts: [String: Int] = [:]
    private(set) var shares: [Int: PriorityShare] = [:]

    /// An empty node named `name`, with no Node object yet.
    public init(name: String) {
        self.name = name
    }

    /// The node-derived part of `node`, with no pods.
    public init(node: JSONValue) {
        self.init(name: node["metadata"]?["name"]?.string ?? "")
        setNode(node)
    }

    /// Replaces what the Node object says, keeping the pod totals.
    public mutating func setNode(_ node: JSONValue) {
        labels = Informer.labels(of: node)
        taints = Taint.of(node: node)
        unschedulable = node["spec"]?["unschedulable"]?.bool ?? false
        allocatable = ResourceAmounts(list: node["status"]?["allocatable"])
        hasNode = true
    }

    /// Counts `pod` on this node.
    public mutating func add(_ pod: PodSchedulingInfo) {
        apply(pod, sign: 1)
    }

    /// Stops counting `pod` on this node.
    public mutating func remove(_ pod: PodSchedulingInfo) {
        apply(pod, sign: -1)
    }

    private mutating func apply(_ pod: PodSchedulingInfo, sign: Int) {
        if sign > 0 {
            requested.add(pod.requests)
            nonZeroRequested.add(pod.nonZeroRequests)
        } else {
            requested.subtract(pod.requests)
            nonZeroRequested.subtract(pod.nonZeroRequests)
        }
        podCount += sign
        var share = shares[pod.priority] ?? PriorityShare()
        if sign > 0 { share.requests.add(pod.requests) } else { share.requests.subtract(pod.requests) }
        share.pods += sign
        for port in pod.hostPorts {
            usedPorts[port, default: 0] += sign
            if usedPorts[port] == 0 { usedPorts[port] = nil }
            share.ports[port, default: 0] += sign
            if share.ports[port] == 0 { share.ports[port] = nil }
        }
        shares[pod.priority] = share.pods == 0 ? nil : share
        if let owner = pod.ownerUID {
            ownerCounts[owner, default: 0] += sign
            if ownerCounts[owner] == 0 { ownerCounts[owner] = nil }
        }
    }

    /// Whether some pod on the node has a priority below `priority`: a preemption victim.
    public func hasPods(below priority: Int) -> Bool {
        shares.keys.contains { $0 < priority }
    }

    /// This node as it would be without its pods of priority below `priority`, as the
    /// preemption dry run removes every potential victim before trying the pod again.
    public func withoutPods(below priority: Int) -> NodeSchedulingInfo {
        var copy = self
        for (level, share) in shares where level < priority {
            copy.requested.subtract(share.requests)
            copy.podCount -= share.pods
            for (port, count) in share.ports {
                copy.usedPorts[port, default: 0] -= count
                if copy.usedPorts[port]! <= 0 { copy.usedPorts[port] = nil }
            }
            copy.shares[level] = nil
        }
        return copy
    }

    /// The host ports in use, as a set.
    var usedPortSet: Set<HostPort> { Set(usedPorts.keys) }
}
