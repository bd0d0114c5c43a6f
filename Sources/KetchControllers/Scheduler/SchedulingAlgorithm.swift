/// One scheduling cycle of kube-scheduler's default profile, as a pure function: PreFilter
/// (NodeAffinity's `metadata.name` pinning), the filters, then either scoring and selection or
/// the FitError with the preemption dry run's verdict.
///
/// Ketch does not evict pods to make room. Where upstream's preemption would find victims,
/// the message says what the filters said, as upstream's does when it nominates a node.
public enum SchedulingAlgorithm {
    /// What a cycle decided.
    public enum Decision: Sendable, Hashable {
        /// Bind the pod to this node.
        case fits(node: String)
        /// No node fits; the message for the event and the PodScheduled condition.
        case unschedulable(message: String)
    }

    /// The message when the scheduler knows no node at all (`ErrNoNodesAvailable`).
    public static let noNodesMessage = "no nodes available to schedule pods"
    /// The pre-filter reason for required terms whose `metadata.name` pins do not intersect.
    static let conflictReason = "pod affinity terms conflict"
    /// The preemption reason of nodes whose rejection removing pods cannot cure.
    static let notHelpfulReason = "Preemption is not helpful for scheduling"
    /// The preemption reason of nodes with no lower-priority pod to remove.
    static let noVictimsReason = "No preemption victims found for incoming pod"

    /// Picks a node for `pod` among `nodes` (node infos with their current pods, assumed ones
    /// included). Nodes without a Node object are ignored.
    public static func schedule(_ pod: PodSchedulingInfo, nodes: [NodeSchedulingInfo]) -> Decision {
        let all = nodes.filter(\.hasNode)
        guard !all.isEmpty else { return .unschedulable(message: noNodesMessage) }

        var candidates = all
        var absentReasons: [String] = []
        switch pinnedNodeNames(pod) {
        case .some(let names) where names.isEmpty:
            let error = FitError(numAllNodes: all.count, preFilterMessage: conflictReason, absentNodeReasons: [conflictReason],
                                 postFilterMessage: preemptionMessage(pod, all: all, rejections: [:]))
            return .unschedulable(message: error.description)
        case .some(let names):
            candidates = all.filter { names.contains($0.name) }
            absentReasons = ["node(s) didn't satisfy plugin(s) [NodeAffinity]"]
        case .none:
            break
        }

        var feasible: [NodeSchedulingInfo] = []
        var rejections: [String: FilterRejection] = [:]
        for node in candidates {
            if let rejection = SchedulerFilters.run(pod, on: node) {
                rejections[node.name] = rejection
            } else {
                feasible.append(node)
            }
        }
        if let chosen = SchedulerScoring.select(pod, candidates: feasible) { return .fits(node: chosen.name) }

        let error = FitError(numAllNodes: all.count,
                             nodeReasons: candidates.compactMap { rejections[$0.name]?.reasons },
                             absentNodeReasons: absentReasons,
                             postFilterMessage: preemptionMessage(pod, all: all, rejections: rejections))
        return .unschedulable(message: error.description)
    }

    /// NodeAffinity's PreFilter: the union over required terms of each term's pinned names;
    /// nil when some term pins nothing (any node may then match it).
    static func pinnedNodeNames(_ pod: PodSchedulingInfo) -> Set<String>? {
        guard let terms = pod.requiredNodeTerms, !terms.isEmpty else { return nil }
        var names = Set<String>()
        for term in terms {
            guard let pinned = term.pinnedNodeNames else { return nil }
            names.formUnion(pinned)
        }
        return names
    }

    /// DefaultPreemption's PostFilter verdict, as it would word it when it finds no
    /// candidate; nil when it would find one (the message then has no `preemption:` part).
    static func preemptionMessage(_ pod: PodSchedulingInfo, all: [NodeSchedulingInfo],
                                  rejections: [String: FilterRejection]) -> String? {
        if pod.preemptionPolicy == "Never" { return "preemption: not eligible due to preemptionPolicy=Never." }
        var nodeReasons: [[String]] = []
        for node in all {
            guard let rejection = rejections[node.name], rejection.resolvable else { continue }
            guard node.hasPods(below: pod.priority) else {
                nodeReasons.append([noVictimsReason])
                continue
            }
            guard let still = SchedulerFilters.run(pod, on: node.withoutPods(below: pod.priority)) else {
                return nil  // evicting the lower-priority pods would make room: a preemption candidate
            }
            nodeReasons.append(still.reasons)
        }
        let error = FitError(numAllNodes: all.count, nodeReasons: nodeReasons, absentNodeReasons: [notHelpfulReason])
        return "preemption: " + error.description
    }
}
