import Foundation
@testable import KetchControllers
import KubeCore

/// StatefulSets, their pods and claims for the StatefulSet controller's tests.
enum StatefulSetFixtures {
    static let uid = "ssssssss-0000-0000-0000-000000000001"
    static let now = KubeTime.parse("2025-01-01T12:00:00Z")!

    /// The StatefulSet `web` in `default` with service `nginx` and the claim template `www`.
    static func set(replicas: Int = 3, image: String = "nginx:1", parallel: Bool = false, partition: Int? = nil,
                    onDelete: Bool = false, whenScaled: String? = nil, whenDeleted: String? = nil,
                    status: [String: JSONValue]? = nil, generation: Int = 1) -> JSONValue {
        var spec: [String: JSONValue] = [
            "replicas": .integer(replicas),
            "serviceName": .string("nginx"),
            "selector": .object(["matchLabels": .object(["app": .string("web")])]),
            "template": .object([
                "metadata": .object(["labels": .object(["app": .string("web")])]),
                "spec": .object(["containers": .array([.object(["name": .string("nginx"), "image": .string(image)])])]),
            ]),
            "volumeClaimTemplates": .array([.object([
                "metadata": .object(["name": .string("www")]),
                "spec": .object([
                    "accessModes": .array([.string("ReadWriteOnce")]),
                    "resources": .object(["requests": .object(["storage": .string("1Gi")])]),
                ]),
            ])]),
        ]
        if parallel { spec["podManagementPolicy"] = .string("Parallel") }
        if onDelete {
            spec["updateStrategy"] = .object(["type": .string("OnDelete")])
        } else if let partition {
            spec["updateStrategy"] = .object(["type": .string("RollingUpdate"), "rollingUpdate": .object(["partition": .integer(partition)])])
        }
        if whenScaled != nil || whenDeleted != nil {
            spec["persistentVolumeClaimRetentionPolicy"] = .object([
                "whenScaled": .string(whenScaled ?? "Retain"), "whenDeleted": .string(whenDeleted ?? "Retain"),
            ])
        }
        var object: [String: JSONValue] = [
            "apiVersion": .string("apps/v1"), "kind": .string("StatefulSet"),
            "metadata": .object([
                "name": .string("web"), "namespace": .string("default"), "uid": .string(uid),
                "generation": .integer(generation), "creationTimestamp": .string("2025-01-01T00:00:00Z"),
            ]),
            "spec": .object(spec),
        ]
        if let status { object["status"] = .object(status) }
        return .object(object)
    }

    /// The pod of `ordinal` as the controller makes it at `revision`, then given a phase and
    /// readiness as the kubelet would.
    static func pod(_ ordinal: Int, revision: String, phase: String = "Running", ready: Bool = true,
                    deleting: Bool = false, of owner: JSONValue = set()) -> JSONValue {
        var pod = StatefulPodIdentity.newPod(owner, ordinal: ordinal, revision: revision)
        pod["metadata"]?["uid"] = .string("uid-web-\(ordinal)")
        pod["metadata"]?["namespace"] = .string("default")
        if deleting { pod["metadata"]?["deletionTimestamp"] = .string("2025-01-01T11:59:00Z") }
        pod["status"] = .object([
            "phase": .string(phase),
            "conditions": .array([.object(["type": .string("Ready"), "status": .string(ready ? "True" : "False"),
                                           "lastTransitionTime": .string("2025-01-01T11:00:00Z")])]),
        ])
        return pod
    }

    /// A revision of `owner`'s template numbered `number`.
    static func revision(_ owner: JSONValue = set(), number: Int = 1) -> JSONValue {
        StatefulSetRevisions.candidate(owner, number: number, collisionCount: 0)
    }

    /// The plan for `owner` with these pods and claims, current and update revisions given.
    static func plan(_ owner: JSONValue, pods: [JSONValue], current: JSONValue, update: JSONValue,
                     claims: [JSONValue] = []) -> StatefulSetPlan {
        let byName = Dictionary(uniqueKeysWithValues: claims.map { (ObjectMetadata.name($0), $0) })
        return StatefulSetPlanner.plan(set: owner, pods: pods, currentRevision: current, updateRevision: update,
                                       collisionCount: 0, claims: { byName[$0] }, now: now)
    }

    /// The actions of a plan as `verb pod` strings.
    static func describe(_ plan: StatefulSetPlan) -> [String] {
        plan.actions.map { action in
            let verb = switch action {
            case .createPod: "create"
            case .createMissingClaims: "claims"
            case .updatePod: "update"
            case .updateClaimRetention: "retention"
            case .deletePod: "delete"
            }
            return "\(verb) \(ObjectMetadata.name(action.pod))"
        }
    }

    /// The claim `www-web-<ordinal>` with these owner references.
    static func claim(_ ordinal: Int, owners: [JSONValue] = []) -> JSONValue {
        var claim = StatefulPodIdentity.claims(StatefulSetSpec(set()), ordinal: ordinal)[0].claim
        claim["metadata"]?["uid"] = .string("uid-www-web-\(ordinal)")
        if !owners.isEmpty { claim["metadata"]?["ownerReferences"] = .array(owners) }
        return claim
    }
}
