import Foundation
import KubeCore

/// A Deployment's view of one of its ReplicaSets: the fields, annotations and orderings
/// upstream's `deploymentutil` and `controller` packages use.
enum DeploymentReplicaSet {
    /// `deployment.kubernetes.io/revision`: the rollout sequence number.
    static let revisionAnnotation = "deployment.kubernetes.io/revision"
    /// `deployment.kubernetes.io/revision-history`: earlier revisions this template served.
    static let revisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
    /// `deployment.kubernetes.io/desired-replicas`: the Deployment's replicas when last scaled.
    static let desiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
    /// `deployment.kubernetes.io/max-replicas`: replicas + maxSurge when last scaled.
    static let maxReplicasAnnotation = "deployment.kubernetes.io/max-replicas"
    /// `deprecated.deployment.rollback.to`: extensions/v1beta1's rollbackTo, carried as an annotation.
    static let rollbackToAnnotation = "deprecated.deployment.rollback.to"
    /// Deployment annotations never copied to ReplicaSets (upstream's `annotationsToSkip`).
    static let annotationsNotCopied: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", revisionAnnotation, revisionHistoryAnnotation,
        desiredReplicasAnnotation, maxReplicasAnnotation, rollbackToAnnotation,
    ]

    /// `spec.replicas` (default 1).
    static func replicas(_ rs: JSONValue) -> Int { rs[path: ["spec", "replicas"]]?.int ?? 1 }

    /// `rs` with `spec.replicas` set.
    static func setting(replicas: Int, on rs: JSONValue) -> JSONValue {
        var copy = rs
        copy[at: ["spec", "replicas"]] = .integer(replicas)
        return copy
    }

    /// A `status` count (`replicas`, `readyReplicas`, `availableReplicas`).
    static func status(_ rs: JSONValue, _ field: String) -> Int { rs[path: ["status", field]]?.int ?? 0 }

    /// One annotation.
    static func annotation(_ rs: JSONValue, _ key: String) -> String? {
        rs[path: ["metadata", "annotations", key]]?.string
    }

    /// `object` with the annotation `key` set to `value` (removed for nil).
    static func setting(annotation key: String, to value: String?, on object: JSONValue) -> JSONValue {
        var copy = object
        var annotations = copy[path: ["metadata", "annotations"]]?.object ?? [:]
        annotations[key] = value.map(JSONValue.string)
        copy[at: ["metadata", "annotations"]] = .object(annotations)
        return copy
    }

    /// The revision annotation as a number: 0 when missing, nil when not a number.
    static func revision(_ object: JSONValue) -> Int? {
        guard let text = annotation(object, revisionAnnotation) else { return 0 }
        return Int(text)
    }

    /// An integer annotation (`desired-replicas`, `max-replicas`), nil when missing or malformed.
    static func intAnnotation(_ rs: JSONValue, _ key: String) -> Int? {
        annotation(rs, key).flatMap { Int($0) }
    }

    /// Whether it has pods to run (`spec.replicas > 0`), as `FilterActiveReplicaSets`.
    static func isActive(_ rs: JSONValue) -> Bool { replicas(rs) > 0 }

    /// Upstream's `ReplicaSetsByCreationTimestamp`: older first, then by name.
    static func createdBefore(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let ta = PodReadiness.creationTime(a) ?? .distantPast, tb = PodReadiness.creationTime(b) ?? .distantPast
        if ta == tb { return ObjectMetadata.name(a) < ObjectMetadata.name(b) }
        return ta < tb
    }

    /// Upstream's `ReplicaSetsByRevision`: lower revision first, creation order on ties or
    /// unreadable revisions.
    static func revisionBefore(_ a: JSONValue, _ b: JSONValue) -> Bool {
        guard let ra = revision(a), let rb = revision(b), ra != rb else { return createdBefore(a, b) }
        return ra < rb
    }

    /// Upstream's `ReplicaSetsBySizeOlder`: larger first; equal sizes older first.
    static func largerOrOlder(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let sa = replicas(a), sb = replicas(b)
        return sa == sb ? createdBefore(a, b) : sa > sb
    }

    /// Upstream's `ReplicaSetsBySizeNewer`: larger first; equal sizes newer first.
    static func largerOrNewer(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let sa = replicas(a), sb = replicas(b)
        return sa == sb ? createdBefore(b, a) : sa > sb
    }
}
