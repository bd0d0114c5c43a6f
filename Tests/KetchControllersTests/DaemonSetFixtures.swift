import Foundation
@testable import KetchControllers
import KubeCore

/// Nodes, DaemonSets and daemon pods for the DaemonSet controller's tests.
enum DaemonSetFixtures {
    static let uid = "dddddddd-0000-0000-0000-000000000001"
    static let now = KubeTime.parse("2025-01-01T12:00:00Z")!

    /// A node named `name`.
    static func node(_ name: String, labels: [String: String] = [:], taints: [(key: String, effect: String)] = []) -> JSONValue {
        var allLabels = labels
        allLabels["kubernetes.io/hostname"] = name
        var spec: [String: JSONValue] = [:]
        if !taints.isEmpty {
            spec["taints"] = .array(taints.map { .object(["key": .string($0.key), "effect": .string($0.effect)]) })
        }
        return .object([
            "apiVersion": .string("v1"), "kind": .string("Node"),
            "metadata": .object(["name": .string(name), "labels": .object(allLabels.mapValues(JSONValue.string))]),
            "spec": .object(spec),
        ])
    }

    /// The DaemonSet `agent` in `default` selecting `app=agent`.
    static func daemonSet(image: String = "agent:1", nodeSelector: [String: String]? = nil, maxUnavailable: JSONValue? = nil,
                          maxSurge: JSONValue? = nil, strategy: String? = nil, hostNetwork: Bool = false,
                          generation: Int = 1, status: [String: JSONValue]? = nil) -> JSONValue {
        var podSpec: [String: JSONValue] = [
            "containers": .array([.object(["name": .string("agent"), "image": .string(image)])]),
        ]
        if let nodeSelector { podSpec["nodeSelector"] = .object(nodeSelector.mapValues(JSONValue.string)) }
        if hostNetwork { podSpec["hostNetwork"] = .bool(true) }
        var spec: [String: JSONValue] = [
            "selector": .object(["matchLabels": .object(["app": .string("agent")])]),
            "template": .object([
                "metadata": .object(["labels": .object(["app": .string("agent")])]),
                "spec": .object(podSpec),
            ]),
        ]
        if maxUnavailable != nil || maxSurge != nil || strategy != nil {
            var rolling: [String: JSONValue] = [:]
            if let maxUnavailable { rolling["maxUnavailable"] = maxUnavailable }
            if let maxSurge { rolling["maxSurge"] = maxSurge }
            spec["updateStrategy"] = .object(["type": .string(strategy ?? "RollingUpdate"), "rollingUpdate": .object(rolling)])
        }
        var object: [String: JSONValue] = [
            "apiVersion": .string("apps/v1"), "kind": .string("DaemonSet"),
            "metadata": .object([
                "name": .string("agent"), "namespace": .string("default"), "uid": .string(uid),
                "generation": .integer(generation), "creationTimestamp": .string("2025-01-01T00:00:00Z"),
            ]),
            "spec": .object(spec),
        ]
        if let status { object["status"] = .object(status) }
        return .object(object)
    }

    /// A controller reference to `agent`.
    static var controllerRef: JSONValue {
        .object(["apiVersion": .string("apps/v1"), "kind": .string("DaemonSet"), "name": .string("agent"),
                 "uid": .string(uid), "controller": .bool(true), "blockOwnerDeletion": .bool(true)])
    }

    /// A daemon pod `name` on `node` at revision `hash`.
    static func pod(_ name: String, node: String, hash: String = "h1", phase: String = "Running", ready: Bool = true,
                    readySince: String = "2025-01-01T11:00:00Z", created: String = "2025-01-01T10:00:00Z",
                    bound: Bool = true, deleting: Bool = false) -> JSONValue {
        var metadata: [String: JSONValue] = [
            "name": .string(name), "namespace": .string("default"), "uid": .string("uid-\(name)"),
            "creationTimestamp": .string(created), "ownerReferences": .array([controllerRef]),
            "labels": .object(["app": .string("agent"), DaemonSetWellKnown.revisionHashLabel: .string(hash)]),
        ]
        if deleting { metadata["deletionTimestamp"] = .string("2025-01-01T11:59:00Z") }
        var spec = DaemonPodTemplate.pinning(.object(["containers": .array([.object(["name": .string("agent")])])]), to: node)
        if bound { spec["nodeName"] = .string(node) }
        return .object([
            "apiVersion": .string("v1"), "kind": .string("Pod"), "metadata": .object(metadata), "spec": spec,
            "status": .object([
                "phase": .string(phase),
                "conditions": .array([.object(["type": .string("Ready"), "status": .string(ready ? "True" : "False"),
                                               "lastTransitionTime": .string(readySince)])]),
            ]),
        ])
    }

    /// The names of `objects`, sorted.
    static func names(_ objects: [JSONValue]) -> [String] { objects.map { ObjectMetadata.name($0) }.sorted() }
}
