import KubeCore

/// A Deployment's `status`, as apps/v1 `DeploymentStatus`.
public struct DeploymentStatus: Sendable, Equatable {
    /// The generation the controller last acted on.
    public var observedGeneration = 0
    /// Active pods of all its ReplicaSets.
    public var replicas = 0
    /// Active pods of the new ReplicaSet.
    public var updatedReplicas = 0
    /// Ready pods.
    public var readyReplicas = 0
    /// Pods ready for at least `minReadySeconds`.
    public var availableReplicas = 0
    /// Pods still needed for full availability.
    public var unavailableReplicas = 0
    /// Hash collisions met naming the new ReplicaSet; nil until the first.
    public var collisionCount: Int?
    /// `Available`, `Progressing` and `ReplicaFailure`.
    public var conditions: [WorkloadCondition] = []

    /// An empty status.
    public init() {}

    /// The status of a Deployment object.
    public init(of deployment: JSONValue) {
        let status = deployment["status"] ?? .object([:])
        observedGeneration = status["observedGeneration"]?.int ?? 0
        replicas = status["replicas"]?.int ?? 0
        updatedReplicas = status["updatedReplicas"]?.int ?? 0
        readyReplicas = status["readyReplicas"]?.int ?? 0
        availableReplicas = status["availableReplicas"]?.int ?? 0
        unavailableReplicas = status["unavailableReplicas"]?.int ?? 0
        collisionCount = status["collisionCount"]?.int
        conditions = WorkloadCondition.list(in: status)
    }

    /// The JSON form; zero counts and empty conditions left out, as Go's `omitempty`.
    public var json: JSONValue {
        var object: [String: JSONValue] = [:]
        let counts = [("observedGeneration", observedGeneration), ("replicas", replicas), ("updatedReplicas", updatedReplicas),
                      ("readyReplicas", readyReplicas), ("availableReplicas", availableReplicas),
                      ("unavailableReplicas", unavailableReplicas)]
        for (field, value) in counts where value != 0 { object[field] = .integer(value) }
        if let collisionCount { object["collisionCount"] = .integer(collisionCount) }
        if !conditions.isEmpty { object["conditions"] = conditions.json }
        return .object(object)
    }
}
