/// core/v1 scheduling constraints a pod spec carries: affinity, tolerations and topology
/// spread.
extension CoreV1Schemas {
    static let scheduling: [MessageSchema] = [
        MessageSchema("Affinity", [
            .field(1, "nodeAffinity", .message("NodeAffinity")),
            .field(2, "podAffinity", .message("PodAffinity")),
            .field(3, "podAntiAffinity", .message("PodAntiAffinity")),
        ]),
        MessageSchema("NodeAffinity", [
            .field(1, "requiredDuringSchedulingIgnoredDuringExecution", .message("NodeSelector")),
            .list(2, "preferredDuringSchedulingIgnoredDuringExecution", .message("PreferredSchedulingTerm")),
        ]),
        MessageSchema("NodeSelector", [
            .list(1, "nodeSelectorTerms", .message("NodeSelectorTerm")),
        ]),
        MessageSchema("NodeSelectorTerm", [
            .list(1, "matchExpressions", .message("NodeSelectorRequirement")),
            .list(2, "matchFields", .message("NodeSelectorRequirement")),
        ]),
        MessageSchema("NodeSelectorRequirement", [
            .field(1, "key", .string, .keep),
            .field(2, "operator", .string, .keep),
            .list(3, "values", .string),
        ]),
        MessageSchema("PreferredSchedulingTerm", [
            .field(1, "weight", .int32, .keep),
            .field(2, "preference", .message("NodeSelectorTerm")),
        ]),
        MessageSchema("PodAffinity", [
            .list(1, "requiredDuringSchedulingIgnoredDuringExecution", .message("PodAffinityTerm")),
            .list(2, "preferredDuringSchedulingIgnoredDuringExecution", .message("WeightedPodAffinityTerm")),
        ]),
        MessageSchema("PodAntiAffinity", [
            .list(1, "requiredDuringSchedulingIgnoredDuringExecution", .message("PodAffinityTerm")),
            .list(2, "preferredDuringSchedulingIgnoredDuringExecution", .message("WeightedPodAffinityTerm")),
        ]),
        MessageSchema("PodAffinityTerm", [
            .field(1, "labelSelector", .message("LabelSelector")),
            .list(2, "namespaces", .string),
            .field(3, "topologyKey", .string, .keep),
            .field(4, "namespaceSelector", .message("LabelSelector")),
            .list(5, "matchLabelKeys", .string),
            .list(6, "mismatchLabelKeys", .string),
        ]),
        MessageSchema("WeightedPodAffinityTerm", [
            .field(1, "weight", .int32, .keep),
            .field(2, "podAffinityTerm", .message("PodAffinityTerm")),
        ]),
        MessageSchema("Toleration", [
            .field(1, "key", .string),
            .field(2, "operator", .string),
            .field(3, "value", .string),
            .field(4, "effect", .string),
            .field(5, "tolerationSeconds", .int64, .keep),
        ]),
        MessageSchema("TopologySpreadConstraint", [
            .field(1, "maxSkew", .int32, .keep),
            .field(2, "topologyKey", .string, .keep),
            .field(3, "whenUnsatisfiable", .string, .keep),
            .field(4, "labelSelector", .message("LabelSelector")),
            .field(5, "minDomains", .int32, .keep),
            .field(6, "nodeAffinityPolicy", .string, .keep),
            .field(7, "nodeTaintsPolicy", .string, .keep),
            .list(8, "matchLabelKeys", .string),
        ]),
    ]
}
