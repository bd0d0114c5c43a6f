import KubeCore

/// One change the StatefulSet controller makes to its pods and claims.
public enum StatefulSetAction: Sendable, Equatable {
    /// Create the pod's missing claims, then the pod, then set the claims' owner references
    /// for the retention policy (`CreateStatefulPod`).
    case createPod(JSONValue)
    /// Create the missing claims of a pod that exists and set their owner references
    /// (`createMissingPersistentVolumeClaims`, for a Pending pod).
    case createMissingClaims(JSONValue)
    /// Write the pod back with its identity and volumes fixed, creating missing claims and
    /// setting owner references as needed (`UpdateStatefulPod`).
    case updatePod(JSONValue)
    /// Set the owner references of a pod's claims for the retention policy
    /// (`UpdatePodClaimForRetentionPolicy`, for a pod scaled away).
    case updateClaimRetention(JSONValue)
    /// Delete the pod (`DeleteStatefulPod`).
    case deletePod(JSONValue)

    /// The pod the action is about.
    public var pod: JSONValue {
        switch self {
        case .createPod(let pod), .createMissingClaims(let pod), .updatePod(let pod),
             .updateClaimRetention(let pod), .deletePod(let pod):
            pod
        }
    }
}

/// What one sync of a StatefulSet does: phases run one after another, and the first error
/// stops the rest. Within a phase each entry is one pod's actions, in order; with
/// `podManagementPolicy: Parallel` the entries run side by side (in slow-start batches),
/// otherwise one at a time.
public struct StatefulSetPlan: Sendable, Equatable {
    /// The phases: live replicas, claims of condemned pods, condemned pods, the rolling update.
    public var phases: [[[StatefulSetAction]]] = []
    /// The status to report once the plan has run.
    public var status = StatefulSetStatus()

    /// Every action, in order.
    public var actions: [StatefulSetAction] { phases.flatMap { $0.flatMap { $0 } } }
}
