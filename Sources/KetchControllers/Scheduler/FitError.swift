/// Why no node fits a pod, worded as kube-scheduler's `FitError.Error()`:
/// `0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`
///
/// Each node contributes each of its reasons once; nodes the pre-filter ruled out contribute
/// the absent-node reasons. The "count reason" strings are sorted as Go's `sort.Strings`
/// sorts them (bytewise, so `10 …` sorts before `2 …`).
public struct FitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// How many nodes the scheduler knew.
    public var numAllNodes: Int
    /// A pre-filter's verdict for every node, when one rejected the pod outright.
    public var preFilterMessage: String?
    /// The reasons of each node a filter rejected.
    public var nodeReasons: [[String]]
    /// The reasons of every node not in `nodeReasons` (the pre-filter narrowed them away).
    public var absentNodeReasons: [String]
    /// What the post-filter (preemption) said, already prefixed (`preemption: …`).
    public var postFilterMessage: String?

    /// A fit error.
    public init(numAllNodes: Int, preFilterMessage: String? = nil, nodeReasons: [[String]] = [],
                absentNodeReasons: [String] = [], postFilterMessage: String? = nil) {
        self.numAllNodes = numAllNodes
        self.preFilterMessage = preFilterMessage
        self.nodeReasons = nodeReasons
        self.absentNodeReasons = absentNodeReasons
        self.postFilterMessage = postFilterMessage
    }

    /// The sorted `count reason` strings.
    public var histogram: [String] {
        var counts: [String: Int] = [:]
        for reasons in nodeReasons {
            for reason in reasons { counts[reason, default: 0] += 1 }
        }
        let absent = numAllNodes - nodeReasons.count
        if absent > 0 {
            for reason in absentNodeReasons { counts[reason, default: 0] += absent }
        }
        return counts.map { "\($0.value) \($0.key)" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The message, as the FailedScheduling event and the PodScheduled condition carry it.
    public var description: String {
        var message = "0/\(numAllNodes) nodes are available:"
        if let preFilterMessage, !preFilterMessage.isEmpty {
            message += " \(preFilterMessage)."
        } else {
            let histogram = histogram
            if !histogram.isEmpty { message += " " + histogram.joined(separator: ", ") + "." }
        }
        if let postFilterMessage, !postFilterMessage.isEmpty { message += " " + postFilterMessage }
        return message
    }
}
