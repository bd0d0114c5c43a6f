import Foundation
@testable import KetchControllers
import KubeCore

/// Deployments, their ReplicaSets, and a small world that applies ``DeploymentSync`` plans and
/// plays the ReplicaSet controller, for the Deployment controller's tests.
enum DeploymentFixtures {
    static let uid = "dddddddd-0000-0000-0000-000000000001"
    static let start = KubeTime.parse("2025-01-01T12:00:00Z")!

    /// A pod template running `image`, labelled `app=web`.
    static func template(image: String = "nginx:1.27", annotations: [String: String] = [:]) -> JSONValue {
        var metadata: [String: JSONValue] = ["labels": .object(["app": .string("web")])]
        if !annotations.isEmpty { metadata["annotations"] = .object(annotations.mapValues(JSONValue.string)) }
        return .object([
            "metadata": .object(metadata),
            "spec": .object(["containers": .array([.object(["name": .string("nginx"), "image": .string(image)])])]),
        ])
    }

    /// The Deployment `web` in `default`.
    static func deployment(replicas: Int = 3, strategy: String = "RollingUpdate", maxSurge: JSONValue = .string("25%"),
                           maxUnavailable: JSONValue = .string("25%"), image: String = "nginx:1.27",
                           paused: Bool = false, revisionHistoryLimit: Int = 10, progressDeadlineSeconds: Int? = 600,
                           minReadySeconds: Int = 0, generation: Int = 1) -> JSONValue {
        var strategyObject: [String: JSONValue] = ["type": .string(strategy)]
        if strategy == "RollingUpdate" {
            strategyObject["rollingUpdate"] = .object(["maxSurge": maxSurge, "maxUnavailable": maxUnavailable])
        }
        var spec: [String: JSONValue] = [
            "replicas": .integer(replicas),
            "selector": .object(["matchLabels": .object(["app": .string("web")])]),
            "template": template(image: image),
            "strategy": .object(strategyObject),
            "revisionHistoryLimit": .integer(revisionHistoryLimit),
        ]
        if let progressDeadlineSeconds { spec["progressDeadlineSeconds"] = .integer(progressDeadlineSeconds) }
        if paused { spec["paused"] = .bool(true) }
        if minReadySeconds > 0 { spec["minReadySeconds"] = .integer(minReadySeconds) }
        return .object([
            "apiVersion": .string("apps/v1"), "kind": .string("Deployment"),
            "metadata": .object([
                "name": .string("web"), "namespace": .string("default"), "uid": .string(uid),
                "generation": .integer(generation), "creationTimestamp": .string("2025-01-01T00:00:00Z"),
            ]),
            "spec": .object(spec),
            "status": .object([:]),
        ])
    }

    /// The sizes of the world's ReplicaSets, newest first, after names.
    static func sizes(_ world: DeploymentWorld) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: world.replicaSets.map { (ObjectMetadata.name($0), DeploymentReplicaSet.replicas($0)) })
    }
}

/// A Deployment and its ReplicaSets, changed only by applying sync plans and by
/// ``settle(available:)``, which stands in for the ReplicaSet controller and the kubelet.
struct DeploymentWorld {
    var deployment: JSONValue
    var replicaSets: [JSONValue] = []
    var events: [String] = []
    var now = DeploymentFixtures.start
    private var created = 0

    init(_ deployment: JSONValue) { self.deployment = deployment }

    /// One sync: plans and applies it, returning the plan.
    @discardableResult
    mutating func sync() -> DeploymentPlan {
        let plan = DeploymentSync.plan(deployment: deployment, replicaSets: replicaSets, pods: [], now: now)
        for action in plan.actions { apply(action) }
        return plan
    }

    /// Applies one planned write as the apiserver would.
    mutating func apply(_ action: DeploymentAction) {
        switch action {
        case .createReplicaSet(var rs, _):
            created += 1
            let name = ObjectMetadata.name(rs)
            rs[at: ["metadata", "uid"]] = .string("uid-\(name)")
            rs[at: ["metadata", "generation"]] = .integer(1)
            rs[at: ["metadata", "creationTimestamp"]] = .string(KubeTime.rfc3339(now.addingTimeInterval(Double(created))))
            replicaSets.append(rs)
        case .updateReplicaSet(var rs):
            let name = ObjectMetadata.name(rs)
            guard let index = replicaSets.firstIndex(where: { ObjectMetadata.name($0) == name }) else { return }
            if rs["spec"] != replicaSets[index]["spec"] {
                rs[at: ["metadata", "generation"]] = .integer(ObjectMetadata.generation(rs) + 1)
            }
            rs["status"] = replicaSets[index]["status"]
            replicaSets[index] = rs
        case .deleteReplicaSet(let rs):
            replicaSets.removeAll { ObjectMetadata.name($0) == ObjectMetadata.name(rs) }
        case .updateDeployment(var updated):
            if updated["spec"] != deployment["spec"] {
                updated[at: ["metadata", "generation"]] = .integer(ObjectMetadata.generation(deployment) + 1)
            }
            updated["status"] = deployment["status"]
            deployment = updated
        case .updateStatus(let status, let revision):
            deployment["status"] = status.json
            if let revision { deployment[at: ["metadata", "annotations", DeploymentReplicaSet.revisionAnnotation]] = .string(revision) }
        case .event(_, let reason, let message):
            events.append("\(reason): \(message)")
        }
    }

    /// Every ReplicaSet runs what it asks for; the pods are ready and available when
    /// `available`, and its status is current.
    mutating func settle(available: Bool = true) {
        for index in replicaSets.indices {
            let replicas = DeploymentReplicaSet.replicas(replicaSets[index])
            replicaSets[index]["status"] = .object([
                "replicas": .integer(replicas),
                "readyReplicas": .integer(available ? replicas : 0),
                "availableReplicas": .integer(available ? replicas : 0),
                "observedGeneration": .integer(ObjectMetadata.generation(replicaSets[index])),
            ])
        }
    }

    /// Changes the Deployment's spec as a client would (bumping its generation).
    mutating func edit(_ change: (inout JSONValue) -> Void) {
        var spec = deployment["spec"] ?? .object([:])
        change(&spec)
        deployment["spec"] = spec
        deployment[at: ["metadata", "generation"]] = .integer(ObjectMetadata.generation(deployment) + 1)
    }

    /// Syncs and settles until the plan is empty (at most `limit` rounds), checking `invariant`
    /// after every sync. Returns the number of rounds.
    @discardableResult
    mutating func converge(limit: Int = 50, available: Bool = true, invariant: (DeploymentWorld) -> Void = { _ in }) -> Int {
        for round in 1...limit {
            let plan = sync()
            invariant(self)
            settle(available: available)
            if plan.actions.isEmpty { return round }
        }
        return limit
    }

    /// The Deployment's status.
    var status: DeploymentStatus { DeploymentStatus(of: deployment) }

    /// The ReplicaSet whose template runs `image`.
    func replicaSet(running image: String) -> JSONValue? {
        replicaSets.first { $0[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"]?.string == image }
    }

    /// The sum of all ReplicaSets' replicas.
    var totalReplicas: Int { replicaSets.map(DeploymentReplicaSet.replicas).reduce(0, +) }
}
