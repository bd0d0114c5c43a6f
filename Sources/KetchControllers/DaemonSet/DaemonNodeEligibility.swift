import KubeCore

/// Upstream's `NodeShouldRunDaemonPod`: whether a DaemonSet wants a pod on a node, judged on
/// the pod its template makes (with the daemon tolerations) by the scheduler's own NodeName,
/// NodeAffinity (nodeSelector and required affinity) and TaintToleration filters.
public struct DaemonNodeEligibility: Sendable, Equatable {
    /// A pod should be started on the node if none runs there.
    public var shouldRun: Bool
    /// A pod already on the node may stay (it tolerates every NoExecute taint).
    public var shouldContinueRunning: Bool

    /// The verdict for `daemonSet` on `node`.
    public init(daemonSet: JSONValue, node: JSONValue) {
        let nodeName = node[path: ["metadata", "name"]]?.string ?? ""
        let templateNode = daemonSet[path: ["spec", "template", "spec", "nodeName"]]?.string ?? ""
        guard templateNode.isEmpty || templateNode == nodeName else {
            self.init(shouldRun: false, shouldContinueRunning: false)
            return
        }
        var podSpec = DaemonPodTemplate.addingTolerations(to: daemonSet[path: ["spec", "template", "spec"]] ?? .object([:]))
        podSpec["nodeName"] = .string(nodeName)
        let pod = PodSchedulingInfo(.object(["spec": podSpec]))
        let target = NodeSchedulingInfo(node: node)
        guard SchedulerFilters.nodeName(pod, target) == nil, SchedulerFilters.nodeAffinity(pod, target) == nil else {
            self.init(shouldRun: false, shouldContinueRunning: false)
            return
        }
        if SchedulerFilters.taintToleration(pod, target) != nil {
            // Daemon pods already there stay unless a NoExecute taint evicts them.
            let evicting = target.taints.contains { $0.effect == "NoExecute" && !pod.tolerations.tolerate($0) }
            self.init(shouldRun: false, shouldContinueRunning: !evicting)
            return
        }
        self.init(shouldRun: true, shouldContinueRunning: true)
    }

    /// A verdict with the given parts.
    public init(shouldRun: Bool, shouldContinueRunning: Bool) {
        self.shouldRun = shouldRun
        self.shouldContinueRunning = shouldContinueRunning
    }
}
