import KubeCore

/// A DaemonSet's spec as the controller reads it, with apps/v1 `SetDefaults_DaemonSet` applied
/// to absent fields (RollingUpdate with maxUnavailable 1 and maxSurge 0, a history of 10).
public struct DaemonSetSpec: Sendable, Equatable {
    /// `spec.updateStrategy.type`: `RollingUpdate` (the default) or `OnDelete`.
    public var updateStrategy: String
    /// `spec.updateStrategy.rollingUpdate.maxUnavailable` (default 1).
    public var maxUnavailable: JSONValue
    /// `spec.updateStrategy.rollingUpdate.maxSurge` (default 0).
    public var maxSurge: JSONValue
    /// `spec.minReadySeconds`.
    public var minReadySeconds: Int
    /// `spec.revisionHistoryLimit` (default 10).
    public var revisionHistoryLimit: Int
    /// The template generation: the apiserver's annotation when present, else
    /// `metadata.generation` (which moves with the template, and with the rest of the spec).
    public var templateGeneration: Int?

    /// Reads `daemonSet`.
    public init(_ daemonSet: JSONValue) {
        let spec = daemonSet["spec"] ?? .object([:])
        updateStrategy = spec[path: ["updateStrategy", "type"]]?.string ?? "RollingUpdate"
        let rolling = spec[path: ["updateStrategy", "rollingUpdate"]]
        maxUnavailable = rolling?["maxUnavailable"].flatMap { $0.isNull ? nil : $0 } ?? .integer(1)
        maxSurge = rolling?["maxSurge"].flatMap { $0.isNull ? nil : $0 } ?? .integer(0)
        minReadySeconds = spec["minReadySeconds"]?.int ?? 0
        revisionHistoryLimit = spec["revisionHistoryLimit"]?.int ?? 10
        let annotation = daemonSet[path: ["metadata", "annotations", DaemonSetWellKnown.templateGenerationAnnotation]]?.string
        templateGeneration = annotation.flatMap { Int($0) } ?? daemonSet[path: ["metadata", "generation"]]?.int
    }

    /// `util.SurgeCount`: how many nodes may run an extra pod during an update, of `total`.
    public func surgeCount(_ total: Int) -> Int {
        guard updateStrategy == "RollingUpdate" else { return 0 }
        return (try? IntOrPercent.scaled(maxSurge, total: total, roundUp: true)) ?? 0
    }

    /// `util.UnavailableCount`: how many nodes may lack an available pod during an update.
    public func unavailableCount(_ total: Int) -> Int {
        guard updateStrategy == "RollingUpdate" else { return 0 }
        return (try? IntOrPercent.scaled(maxUnavailable, total: total, roundUp: true)) ?? 0
    }

    /// `util.AllowsSurge`.
    public var allowsSurge: Bool { surgeCount(1) != 0 }
}
