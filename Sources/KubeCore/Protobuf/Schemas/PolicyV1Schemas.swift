/// k8s.io/api/policy/v1 messages: PodDisruptionBudget.
enum PolicyV1Schemas {
    static let messages: [MessageSchema] = [
        MessageSchema("PodDisruptionBudget", [
            .field(1, "metadata", .message("ObjectMeta")),
            .field(2, "spec", .message("PodDisruptionBudgetSpec")),
            .field(3, "status", .message("PodDisruptionBudgetStatus")),
        ]),
        MessageSchema("PodDisruptionBudgetSpec", [
            .field(1, "minAvailable", .intOrString, .keep),
            .field(2, "selector", .message("LabelSelector")),
            .field(3, "maxUnavailable", .intOrString, .keep),
        ]),
        MessageSchema("PodDisruptionBudgetStatus", [
            .field(1, "observedGeneration", .int64),
            .map(2, "disruptedPods", .time),
            .field(3, "disruptionsAllowed", .int32, .keep),
            .field(4, "currentHealthy", .int32, .keep),
            .field(5, "desiredHealthy", .int32, .keep),
            .field(6, "expectedPods", .int32, .keep),
            .list(7, "conditions", .message("Condition")),
        ]),
    ]
}
