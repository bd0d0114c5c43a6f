import KubeCore

/// A pod as the scheduler looks at it, parsed once from its JSON: what it asks for, where it
/// may go, and who owns it.
public struct PodSchedulingInfo: Sendable {
    /// `namespace/name`.
    public var key: ObjectKey
    /// `metadata.uid`.
    public var uid: String
    /// `spec.nodeName`; empty while unscheduled.
    public var nodeName: String
    /// What NodeResourcesFit's filter compares with a node's room.
    public var requests: ResourceAmounts
    /// The requests with request-less containers counted at the scoring defaults.
    public var nonZeroRequests: ResourceAmounts
    /// The host ports its containers bind.
    public var hostPorts: [HostPort]
    /// `spec.tolerations`.
    public var tolerations: [Toleration]
    /// `spec.nodeSelector`.
    public var nodeSelector: [String: String]
    /// `spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
    /// nil when the pod has no required node affinity.
    public var requiredNodeTerms: [NodeSelectorTerm]?
    /// `preferredDuringSchedulingIgnoredDuringExecution`: (weight, preference) pairs.
    public var preferredNodeTerms: [(weight: Int, term: NodeSelectorTerm)]
    /// `spec.priority` (0 when unset, as the priority admission plugin's default).
    public var priority: Int
    /// `spec.preemptionPolicy`; nil for the default `PreemptLowerPriority`.
    public var preemptionPolicy: String?
    /// The uid of the controller owner (a ReplicaSet, Job, StatefulSet), for spreading replicas.
    public var ownerUID: String?

    /// Parses `pod`.
    public init(_ pod: JSONValue) {
        let spec = pod["spec"]
        key = ObjectKey(pod)
        uid = pod["metadata"]?["uid"]?.string ?? ""
        nodeName = spec?["nodeName"]?.string ?? ""
        requests = PodRequests.requests(of: pod)
        nonZeroRequests = PodRequests.nonZeroRequests(of: pod)
        hostPorts = HostPort.of(pod: pod)
        tolerations = Toleration.of(pod: pod)
        nodeSelector = (spec?["nodeSelector"]?.object ?? [:]).compactMapValues(\.string)
        let nodeAffinity = spec?["affinity"]?["nodeAffinity"]
        requiredNodeTerms = nodeAffinity?["requiredDuringSchedulingIgnoredDuringExecution"].map {
            ($0["nodeSelectorTerms"]?.array ?? []).map(NodeSelectorTerm.init(json:))
        }
        preferredNodeTerms = (nodeAffinity?["preferredDuringSchedulingIgnoredDuringExecution"]?.array ?? []).compactMap {
            guard let weight = $0["weight"]?.int, let preference = $0["preference"] else { return nil }
            return (weight, NodeSelectorTerm(json: preference))
        }
        priority = spec?["priority"]?.int ?? 0
        preemptionPolicy = spec?["preemptionPolicy"]?.string
        ownerUID = OwnerReferences.controllerRef(of: pod)?.uid
    }
}
