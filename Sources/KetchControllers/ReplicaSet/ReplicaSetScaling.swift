import Foundation
import KubeCore

/// What a ReplicaSet does about the difference between its replicas and its pods in one sync.
public enum ReplicaSetScaleAction: Sendable, Equatable {
    /// Nothing: the count is right.
    case none
    /// Create this many pods.
    case create(Int)
    /// Delete these pods.
    case delete([JSONValue])
}

/// Upstream's `manageReplicas` decision: create the missing pods or delete the surplus, at most
/// `burstReplicas` per sync, the cheapest pods first.
public enum ReplicaSetScaling {
    /// kube-controller-manager's `BurstReplicas`.
    public static let defaultBurstReplicas = 500

    /// The action for `object` owning the active `pods`; `relatedPods` are the pods of every
    /// ReplicaSet with the same owner, used to spread deletions across nodes.
    public static func plan(_ object: JSONValue, pods: [JSONValue], relatedPods: [JSONValue], flavor: ReplicaSetFlavor,
                            burstReplicas: Int = defaultBurstReplicas, now: Date) -> ReplicaSetScaleAction {
        let diff = pods.count - flavor.replicas(of: object)
        if diff < 0 { return .create(min(-diff, burstReplicas)) }
        if diff > 0 {
            let order = PodDeletionOrder(relatedPods: relatedPods, now: now)
            return .delete(order.podsToDelete(pods, count: min(diff, burstReplicas)))
        }
        return .none
    }
}
