import Foundation
import KubeCore

/// The parts of a Deployment the controller reads, with the API's defaults where fields are
/// missing, and the rolling-update fenceposts resolved as upstream's `deploymentutil` does.
public struct DeploymentSpec: Sendable {
    /// The whole object, as cached.
    public let object: JSONValue
    /// `spec.replicas` (default 1).
    public let replicas: Int
    /// `spec.strategy.type`: `RollingUpdate` (default) or `Recreate`.
    public let strategy: String
    /// `spec.paused`.
    public let paused: Bool
    /// `spec.minReadySeconds`.
    public let minReadySeconds: Int
    /// `spec.progressDeadlineSeconds`; nil when unset or `MaxInt32` (no deadline).
    public let progressDeadlineSeconds: Int?
    /// `spec.revisionHistoryLimit`; nil when unset or `MaxInt32` (keep everything).
    public let revisionHistoryLimit: Int?
    /// The pod template.
    public let template: JSONValue
    /// `spec.selector`.
    public let selector: JSONValue
    /// Resolved `maxSurge` (0 unless rolling).
    public let maxSurge: Int
    /// Resolved `maxUnavailable`, never more than `replicas` (0 unless rolling or no replicas).
    public let maxUnavailable: Int

    /// Go's `math.MaxInt32`, which means "unlimited" for the deadline and the history limit.
    static let unlimited = Int(Int32.max)

    /// The spec of `object`.
    public init(_ object: JSONValue) {
        self.object = object
        let spec = object["spec"] ?? .object([:])
        replicas = spec["replicas"]?.int ?? 1
        strategy = spec[path: ["strategy", "type"]]?.string ?? "RollingUpdate"
        paused = spec["paused"]?.bool ?? false
        minReadySeconds = spec["minReadySeconds"]?.int ?? 0
        progressDeadlineSeconds = spec["progressDeadlineSeconds"]?.int.flatMap { $0 == Self.unlimited ? nil : $0 }
        revisionHistoryLimit = spec["revisionHistoryLimit"]?.int.flatMap { $0 == Self.unlimited ? nil : $0 }
        template = spec["template"] ?? .object([:])
        selector = spec["selector"] ?? .null
        if strategy == "RollingUpdate" {
            let (surge, unavailable) = Self.fenceposts(spec[path: ["strategy", "rollingUpdate"]], replicas: replicas)
            maxSurge = surge
            maxUnavailable = replicas == 0 ? 0 : min(unavailable, replicas)
        } else {
            maxSurge = 0
            maxUnavailable = 0
        }
    }

    /// Whether the strategy is `RollingUpdate`.
    public var isRollingUpdate: Bool { strategy == "RollingUpdate" }

    /// `metadata.name`.
    public var name: String { ObjectMetadata.name(object) }

    /// `metadata.generation`.
    public var generation: Int { ObjectMetadata.generation(object) }

    /// `replicas + maxSurge`: the most pods the Deployment may have (the max-replicas annotation).
    public var maxReplicas: Int { replicas + maxSurge }

    /// Upstream's `ResolveFenceposts`: surge rounds up, unavailability down, and when both come
    /// to zero one pod may be unavailable, so a rollout can always move.
    static func fenceposts(_ rollingUpdate: JSONValue?, replicas: Int) -> (surge: Int, unavailable: Int) {
        let surge = (try? IntOrPercent.scaled(rollingUpdate?["maxSurge"], total: replicas, roundUp: true)) ?? 0
        var unavailable = (try? IntOrPercent.scaled(rollingUpdate?["maxUnavailable"], total: replicas, roundUp: false)) ?? 0
        if surge == 0, unavailable == 0 { unavailable = 1 }
        return (surge, unavailable)
    }
}
