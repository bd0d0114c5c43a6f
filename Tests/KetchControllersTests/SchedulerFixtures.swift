import Foundation
@testable import KetchControllers
import KubeCore

/// Nodes and pods for the scheduler's tests.
enum SchedulerFixtures {
    /// A Node with `status.allocatable` of `cpu`, `memory` and `pods`.
    static func node(_ name: String, cpu: String = "4", memory: String = "8Gi", pods: Int = 110,
                     labels: [String: String] = [:], taints: [Taint] = [], unschedulable: Bool = false) -> JSONValue {
        var spec: [String: JSONValue] = [:]
        if !taints.isEmpty {
            spec["taints"] = .array(taints.map { .object(["key": .string($0.key), "value": .string($0.value), "effect": .string($0.effect)]) })
        }
        if unschedulable { spec["unschedulable"] = .bool(true) }
        var allLabels = labels
        allLabels["kubernetes.io/hostname"] = name
        return .object([
            "apiVersion": .string("v1"), "kind": .string("Node"),
            "metadata": .object(["name": .string(name), "labels": .object(allLabels.mapValues(JSONValue.string))]),
            "spec": .object(spec),
            "status": .object(["allocatable": .object([
                "cpu": .string(cpu), "memory": .string(memory), "pods": .string(String(pods)),
                "ephemeral-storage": .string("100Gi"),
            ])]),
        ])
    }

    /// The control-plane taint kubeadm puts on control-plane nodes of multi-node clusters.
    static let controlPlaneTaint = Taint(key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule")

    /// A pod `name` whose one container requests `cpu` and `memory` (nil: no request).
    static func pod(_ name: String, namespace: String = "default", cpu: String? = nil, memory: String? = nil,
                    node: String = "", ownerUID: String? = nil, nodeSelector: [String: String] = [:],
                    tolerations: [JSONValue] = [], hostPort: Int? = nil, priority: Int? = nil,
                    affinity: JSONValue? = nil, extraSpec: [String: JSONValue] = [:]) -> JSONValue {
        var requests: [String: JSONValue] = [:]
        if let cpu { requests["cpu"] = .string(cpu) }
        if let memory { requests["memory"] = .string(memory) }
        var container: [String: JSONValue] = ["name": .string("app"), "image": .string("nginx")]
        if !requests.isEmpty { container["resources"] = .object(["requests": .object(requests)]) }
        if let hostPort {
            container["ports"] = .array([.object(["containerPort": .integer(80), "hostPort": .integer(hostPort)])])
        }
        var spec: [String: JSONValue] = ["containers": .array([.object(container)])]
        if !node.isEmpty { spec["nodeName"] = .string(node) }
        if !nodeSelector.isEmpty { spec["nodeSelector"] = .object(nodeSelector.mapValues(JSONValue.string)) }
        if !tolerations.isEmpty { spec["tolerations"] = .array(tolerations) }
        if let priority { spec["priority"] = .integer(priority) }
        if let affinity { spec["affinity"] = affinity }
        for (key, value) in extraSpec { spec[key] = value }
        var metadata: [String: JSONValue] = ["name": .string(name), "namespace": .string(namespace), "uid": .string("uid-\(name)")]
        if let ownerUID {
            metadata["ownerReferences"] = .array([.object([
                "apiVersion": .string("apps/v1"), "kind": .string("ReplicaSet"), "name": .string("rs-\(ownerUID)"),
                "uid": .string(ownerUID), "controller": .bool(true),
            ])])
        }
        return .object(["apiVersion": .string("v1"), "kind": .string("Pod"), "metadata": .object(metadata),
                        "spec": .object(spec), "status": .object(["phase": .string("Pending")])])
    }

    /// A toleration as JSON.
    static func toleration(key: String = "", operator op: String = "Equal", value: String = "", effect: String = "") -> JSONValue {
        var object: [String: JSONValue] = ["operator": .string(op)]
        if !key.isEmpty { object["key"] = .string(key) }
        if !value.isEmpty { object["value"] = .string(value) }
        if !effect.isEmpty { object["effect"] = .string(effect) }
        return .object(object)
    }

    /// Node infos for `nodes`, each with `pods` (assigned through `spec.nodeName`) counted.
    static func infos(_ nodes: [JSONValue], pods: [JSONValue] = []) -> [NodeSchedulingInfo] {
        nodes.map { node in
            var info = NodeSchedulingInfo(node: node)
            for pod in pods where pod["spec"]?["nodeName"]?.string == info.name { info.add(PodSchedulingInfo(pod)) }
            return info
        }
    }

    /// What `schedule` decides for `pod`, as a message or `fits:<node>`.
    static func decide(_ pod: JSONValue, _ nodes: [NodeSchedulingInfo]) -> String {
        switch SchedulingAlgorithm.schedule(PodSchedulingInfo(pod), nodes: nodes) {
        case .fits(let node): return "fits:\(node)"
        case .unschedulable(let message): return message
        }
    }
}
