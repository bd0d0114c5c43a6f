import KubeCore

/// One write a Deployment sync asks for, in the order upstream makes them. They are carried out
/// in order and the first failure stops the rest, as upstream returns on the first error; an
/// event follows the write it reports, so it is recorded only when that write succeeded.
public enum DeploymentAction: Sendable, Equatable {
    /// POST of a new ReplicaSet. `status` is the Deployment's status at that point, from which
    /// a refusal is reported (``DeploymentSync/createFailed(_:replicaSet:message:deployment:now:)``).
    case createReplicaSet(JSONValue, status: DeploymentStatus)
    /// PUT of a ReplicaSet (replicas, annotations, minReadySeconds).
    case updateReplicaSet(JSONValue)
    /// DELETE of an old ReplicaSet (revision history clean-up).
    case deleteReplicaSet(JSONValue)
    /// PUT of the Deployment itself (a rollback through the deprecated annotation).
    case updateDeployment(JSONValue)
    /// PUT of the Deployment's status, carrying a new `deployment.kubernetes.io/revision`
    /// annotation when `revision` is set, as upstream writes it through the status.
    case updateStatus(DeploymentStatus, revision: String?)
    /// An event about the Deployment.
    case event(type: String, reason: String, message: String)
}

/// What one Deployment sync decided: the writes, and when to look again if nothing else
/// happens (a progress deadline to check).
public struct DeploymentPlan: Sendable, Equatable {
    /// The writes, in order.
    public var actions: [DeploymentAction] = []
    /// A later look, for a rollout that may miss its progress deadline.
    public var requeueAfter: Duration?
    /// Why the sync could not finish (upstream returns an error and retries).
    public var failure: String?

    /// The events, in order.
    public var events: [String] {
        actions.compactMap { if case .event(_, let reason, let message) = $0 { "\(reason): \(message)" } else { nil } }
    }
}
