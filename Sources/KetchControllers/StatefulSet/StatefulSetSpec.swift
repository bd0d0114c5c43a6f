import KubeCore

/// A StatefulSet's spec as the controller reads it, with apps/v1 `SetDefaults_StatefulSet`
/// applied to absent fields, so a set stored without defaults behaves as one that has them.
public struct StatefulSetSpec: Sendable, Equatable {
    /// `metadata.name`.
    public var name: String
    /// `metadata.namespace`.
    public var namespace: String
    /// `spec.replicas` (default 1).
    public var replicas: Int
    /// `spec.ordinals.start` (default 0): the first pod's ordinal.
    public var startOrdinal: Int
    /// `spec.serviceName`: the governing Service, the pods' subdomain.
    public var serviceName: String
    /// Whether `spec.podManagementPolicy` is `Parallel` (the default is `OrderedReady`).
    public var parallel: Bool
    /// `spec.updateStrategy.type` (default `RollingUpdate`).
    public var updateStrategy: String
    /// `spec.updateStrategy.rollingUpdate.partition` (default 0 for RollingUpdate); nil when
    /// the strategy has no rollingUpdate block (OnDelete).
    public var partition: Int?
    /// `spec.minReadySeconds`.
    public var minReadySeconds: Int
    /// `spec.revisionHistoryLimit` (default 10).
    public var revisionHistoryLimit: Int
    /// `spec.persistentVolumeClaimRetentionPolicy.whenDeleted` (default `Retain`).
    public var whenDeleted: String
    /// `spec.persistentVolumeClaimRetentionPolicy.whenScaled` (default `Retain`).
    public var whenScaled: String
    /// `spec.volumeClaimTemplates`.
    public var volumeClaimTemplates: [JSONValue]
    /// `spec.selector.matchLabels`: the labels every claim gets.
    public var selectorLabels: [String: JSONValue]

    /// Reads `set`.
    public init(_ set: JSONValue) {
        let spec = set["spec"] ?? .object([:])
        name = set[path: ["metadata", "name"]]?.string ?? ""
        namespace = set[path: ["metadata", "namespace"]]?.string ?? "default"
        replicas = max(0, spec["replicas"]?.int ?? 1)
        startOrdinal = spec[path: ["ordinals", "start"]]?.int ?? 0
        serviceName = spec["serviceName"]?.string ?? ""
        parallel = spec["podManagementPolicy"]?.string == "Parallel"
        updateStrategy = spec[path: ["updateStrategy", "type"]]?.string ?? "RollingUpdate"
        let rollingUpdate = spec[path: ["updateStrategy", "rollingUpdate"]]
        if let rollingUpdate, !rollingUpdate.isNull {
            partition = rollingUpdate["partition"]?.int ?? 0
        } else {
            partition = updateStrategy == "RollingUpdate" ? 0 : nil
        }
        minReadySeconds = spec["minReadySeconds"]?.int ?? 0
        revisionHistoryLimit = spec["revisionHistoryLimit"]?.int ?? 10
        whenDeleted = spec[path: ["persistentVolumeClaimRetentionPolicy", "whenDeleted"]]?.string ?? "Retain"
        whenScaled = spec[path: ["persistentVolumeClaimRetentionPolicy", "whenScaled"]]?.string ?? "Retain"
        volumeClaimTemplates = spec["volumeClaimTemplates"]?.array ?? []
        selectorLabels = spec[path: ["selector", "matchLabels"]]?.object ?? [:]
    }

    /// The last ordinal in range (inclusive); below `startOrdinal` when there are no replicas.
    public var endOrdinal: Int { startOrdinal + replicas - 1 }

    /// Whether `ordinal` is one the set wants (`podInOrdinalRange`).
    public func inRange(_ ordinal: Int) -> Bool { ordinal >= startOrdinal && ordinal <= endOrdinal }
}
