/// The defaults of the workload controllers' objects: apps/v1 `SetDefaults_Deployment`,
/// `SetDefaults_ReplicaSet`, `SetDefaults_StatefulSet`, `SetDefaults_DaemonSet`, core/v1
/// `SetDefaults_ReplicationController`, and the pod template each of them carries.
public enum WorkloadDefaults {
    /// A Deployment: one replica, RollingUpdate 25%/25%, ten old ReplicaSets, a 600 s progress
    /// deadline.
    public static func deployment(_ input: JSONValue) -> JSONValue {
        changingSpec(input) { spec in
            spec.setDefault("replicas", .integer(1))
            spec["strategy"] = rollingStrategy(spec["strategy"], ["maxUnavailable": .string("25%"), "maxSurge": .string("25%")])
            spec.setDefault("revisionHistoryLimit", .integer(10))
            spec.setDefault("progressDeadlineSeconds", .integer(600))
        }
    }

    /// A ReplicaSet: one replica.
    public static func replicaSet(_ input: JSONValue) -> JSONValue {
        changingSpec(input) { $0.setDefault("replicas", .integer(1)) }
    }

    /// A ReplicationController: one replica, and the template's labels as its selector and its
    /// own labels when those are empty.
    public static func replicationController(_ input: JSONValue) -> JSONValue {
        var object = changingSpec(input) { spec in
            spec.setDefault("replicas", .integer(1))
            if let labels = spec["template"]?["metadata"]?["labels"], labels.object != nil,
               spec["selector"]?.object?.isEmpty ?? true {
                spec["selector"] = labels
            }
        }
        if let labels = object["spec"]?["template"]?["metadata"]?["labels"], labels.object != nil,
           object["metadata"]?["labels"]?.object?.isEmpty ?? true {
            object["metadata"]?["labels"] = labels
        }
        return object
    }

    /// A StatefulSet: OrderedReady, RollingUpdate from partition 0, claims retained on delete
    /// and scale-down, one replica, ten old revisions; its claim templates as claims.
    public static func statefulSet(_ input: JSONValue) -> JSONValue {
        changingSpec(input) { spec in
            spec.setDefault("podManagementPolicy", .string("OrderedReady"))
            var strategy = JSONValue.objectOrEmpty(spec["updateStrategy"])
            if JSONValue.isUnset(strategy["type"]) {
                strategy["type"] = .string("RollingUpdate")
                strategy.setDefault("rollingUpdate", .object([:]))
            }
            // Only a rollingUpdate block that exists gets a partition.
            if strategy["type"]?.string == "RollingUpdate" { strategy.modify("rollingUpdate") { $0.setDefault("partition", .integer(0)) } }
            spec["updateStrategy"] = strategy
            var retention = JSONValue.objectOrEmpty(spec["persistentVolumeClaimRetentionPolicy"])
            retention.setDefault("whenDeleted", .string("Retain"))
            retention.setDefault("whenScaled", .string("Retain"))
            spec["persistentVolumeClaimRetentionPolicy"] = retention
            spec.setDefault("replicas", .integer(1))
            spec.setDefault("revisionHistoryLimit", .integer(10))
            spec.modifyEach("volumeClaimTemplates") { template in
                template = StorageDefaults.claim(template)
                template.setDefault("apiVersion", .string("v1"))
                template.setDefault("kind", .string("PersistentVolumeClaim"))
            }
        }
    }

    /// A DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0, ten old revisions.
    public static func daemonSet(_ input: JSONValue) -> JSONValue {
        changingSpec(input) { spec in
            spec["updateStrategy"] = rollingStrategy(spec["updateStrategy"], ["maxUnavailable": .integer(1), "maxSurge": .integer(0)])
            spec.setDefault("revisionHistoryLimit", .integer(10))
        }
    }

    /// A pod template (`PodTemplateSpec`): metadata present, its spec defaulted.
    public static func podTemplate(_ input: JSONValue?) -> JSONValue {
        var template = JSONValue.objectOrEmpty(input)
        template.setDefault("metadata", .object([:]))
        template["spec"] = PodDefaults.podSpec(template["spec"])
        return template
    }

    /// `object` with its spec's pod template defaulted, then `change` made to its spec.
    static func changingSpec(_ object: JSONValue, _ change: (inout JSONValue) -> Void) -> JSONValue {
        var result = object
        var spec = withTemplate(object["spec"])
        change(&spec)
        result["spec"] = spec
        return result
    }

    /// `spec` (empty when absent) with its `template` defaulted.
    static func withTemplate(_ input: JSONValue?) -> JSONValue {
        var spec = JSONValue.objectOrEmpty(input)
        spec["template"] = podTemplate(spec["template"])
        return spec
    }

    /// A Deployment's or DaemonSet's strategy: RollingUpdate unless it names another type, and
    /// then a rollingUpdate block with `defaults` for the members it leaves unset.
    private static func rollingStrategy(_ input: JSONValue?, _ defaults: [String: JSONValue]) -> JSONValue {
        var strategy = JSONValue.objectOrEmpty(input)
        strategy.setDefault("type", .string("RollingUpdate"))
        guard strategy["type"]?.string == "RollingUpdate" else { return strategy }
        var rolling = JSONValue.objectOrEmpty(strategy["rollingUpdate"])
        for (key, value) in defaults { rolling.setDefault(key, value) }
        strategy["rollingUpdate"] = rolling
        return strategy
    }
}
