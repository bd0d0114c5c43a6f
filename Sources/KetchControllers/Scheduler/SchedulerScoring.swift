/// Ranks the nodes that passed the filters, after kube-scheduler's default Score plugins:
/// NodeResourcesFit's LeastAllocated (weight 1), TaintToleration's preference for nodes
/// without untolerated `PreferNoSchedule` taints (weight 3), NodeAffinity's preferred terms
/// (weight 2), and in place of the default topology spreading, fewest replicas of the same
/// controller owner on the node (weight 2). Every plugin's score is normalized to 0…100 first.
/// Where upstream breaks ties at random, this picks the first node by name, so runs repeat.
public enum SchedulerScoring {
    /// The highest score one plugin gives (`framework.MaxNodeScore`).
    public static let maxScore = 100

    /// The total weighted score of each candidate, in the candidates' order.
    public static func scores(_ pod: PodSchedulingInfo, candidates: [NodeSchedulingInfo]) -> [Int] {
        let least = candidates.map { leastAllocated(pod, $0) }
        let taints = normalized(candidates.map { intolerablePreferNoSchedule(pod, $0) }, reverse: true)
        let affinity = normalized(candidates.map { preferredAffinity(pod, $0) }, reverse: false)
        let spread = normalized(candidates.map { node in pod.ownerUID.map { node.ownerCounts[$0] ?? 0 } ?? 0 }, reverse: true)
        return candidates.indices.map { least[$0] + 3 * taints[$0] + 2 * affinity[$0] + 2 * spread[$0] }
    }

    /// The best candidate: highest score, then first by name. Nil when there are none.
    public static func select(_ pod: PodSchedulingInfo, candidates: [NodeSchedulingInfo]) -> NodeSchedulingInfo? {
        let totals = scores(pod, candidates: candidates)
        return zip(candidates, totals).min { a, b in a.1 != b.1 ? a.1 > b.1 : a.0.name < b.0.name }?.0
    }

    /// LeastAllocated: the mean over cpu and memory of the share left free once the pod is
    /// added, using the non-zero requests so request-less pods still count.
    public static func leastAllocated(_ pod: PodSchedulingInfo, _ node: NodeSchedulingInfo) -> Int {
        func share(_ requested: Int64, _ capacity: Int64) -> Int {
            guard capacity > 0, requested <= capacity else { return 0 }
            return Int((capacity - requested) * Int64(maxScore) / capacity)
        }
        let requested = node.nonZeroRequested + pod.nonZeroRequests
        return (share(requested.milliCPU, node.allocatable.milliCPU) + share(requested.memory, node.allocatable.memory)) / 2
    }

    /// The number of the node's `PreferNoSchedule` taints the pod does not tolerate.
    static func intolerablePreferNoSchedule(_ pod: PodSchedulingInfo, _ node: NodeSchedulingInfo) -> Int {
        node.taints.filter { $0.effect == "PreferNoSchedule" && !pod.tolerations.tolerate($0) }.count
    }

    /// The summed weights of the pod's preferred node-affinity terms the node matches.
    static func preferredAffinity(_ pod: PodSchedulingInfo, _ node: NodeSchedulingInfo) -> Int {
        pod.preferredNodeTerms.filter { $0.term.matches(labels: node.labels, nodeName: node.name) }.map(\.weight).reduce(0, +)
    }

    /// `DefaultNormalizeScore`: scales raw scores so the largest is 100 (all 0 stays 0, or
    /// all 100 when reversed); `reverse` makes smaller raw scores better.
    static func normalized(_ raw: [Int], reverse: Bool) -> [Int] {
        let top = raw.max() ?? 0
        guard top > 0 else { return raw.map { _ in reverse ? maxScore : 0 } }
        return raw.map { value in
            let scaled = value * maxScore / top
            return reverse ? maxScore - scaled : scaled
        }
    }
}
