import Foundation
import KetchBootstrap
import KubeCore

/// The Node a kubeadm control-plane kubelet registers: kubeadm's labels, annotation and taint,
/// and a status describing this machine (the same facts `ketch init` seeds the Node with).
public enum NodeObject {
    /// What the Node reports besides its name and address.
    public struct Facts: Sendable, Equatable {
        /// Host facts: architecture, kernel, OS image, ids, CPU, memory, disk.
        public var host: NodeFacts
        /// `nodeInfo.kubeletVersion`, e.g. `v1.33.4` (the control-plane images' tag).
        public var kubeletVersion: String

        /// Probes this machine. Memory comes from `/proc/meminfo` `MemTotal` when readable, which
        /// is what the kubelet (through cAdvisor) reports.
        public static func probe(storagePath: String, kubeletVersion: String) -> Facts {
            var host = NodeFacts.probe(storagePath: storagePath)
            if let total = memTotalBytes() { host.memoryBytes = total }
            return Facts(host: host, kubeletVersion: kubeletVersion)
        }

        static func memTotalBytes() -> UInt64? {
            guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
            for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
                let digits = line.dropFirst("MemTotal:".count).filter(\.isNumber)
                return UInt64(digits).map { $0 * 1024 }
            }
            return nil
        }
    }

    /// The Node's `Ready` and pressure conditions, in the kubelet's order.
    static let conditionTemplates: [(type: String, status: String, reason: String, message: String)] = [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ]

    /// Builds the Node, merging into `existing` when there is one: its uid, creationTimestamp,
    /// spec and foreign labels/annotations survive (a restarted kubelet does not reset what
    /// others set), and a condition keeps its `lastTransitionTime` while its status holds.
    public static func build(nodeName: String, address: String, facts: Facts, now: Date = Date(),
                             existing: JSONValue? = nil) -> JSONValue {
        let stamp = KubeTime.rfc3339(now)
        let host = facts.host
        let old = existing?["metadata"]
        var labels = old?["labels"]?.object ?? [:]
        for (key, value) in [
            ("beta.kubernetes.io/arch", host.architecture), ("beta.kubernetes.io/os", "linux"),
            ("kubernetes.io/arch", host.architecture), ("kubernetes.io/hostname", nodeName),
            ("kubernetes.io/os", "linux"), ("node-role.kubernetes.io/control-plane", ""),
            ("node.kubernetes.io/exclude-from-external-load-balancers", ""),
        ] { labels[key] = .string(value) }
        var annotations = old?["annotations"]?.object ?? [:]
        annotations["kubeadm.alpha.kubernetes.io/cri-socket"] = .string(host.criSocket)
        annotations["node.alpha.kubernetes.io/ttl"] = .string("0")
        annotations["volumes.kubernetes.io/controller-managed-attach-detach"] = .string("true")

        var metadata = old?.object ?? [:]
        metadata["name"] = .string(nodeName)
        metadata["uid"] = old?["uid"] ?? .string(UUID().uuidString.lowercased())
        metadata["creationTimestamp"] = old?["creationTimestamp"] ?? .string(stamp)
        metadata["labels"] = .object(labels)
        metadata["annotations"] = .object(annotations)

        let spec = existing?["spec"] ?? .object([
            "taints": .array([.object(["key": .string("node-role.kubernetes.io/control-plane"),
                                       "effect": .string("NoSchedule")])]),
        ])

        let oldConditions = existing?["status"]?["conditions"]?.array ?? []
        let conditions: [JSONValue] = conditionTemplates.map { t in
            let previous = oldConditions.first { $0["type"]?.string == t.type }
            let transition = previous?["status"]?.string == t.status
                ? previous?["lastTransitionTime"]?.string ?? stamp : stamp
            return .object([
                "type": .string(t.type), "status": .string(t.status), "reason": .string(t.reason),
                "message": .string(t.message), "lastHeartbeatTime": .string(stamp),
                "lastTransitionTime": .string(transition),
            ])
        }

        let memoryKi = host.memoryBytes / 1024
        // Allocatable leaves out the kubelet's default hard eviction thresholds: 100Mi of memory
        // and 10% of the node file system.
        let allocatableMemoryKi = memoryKi > 102_400 ? memoryKi - 102_400 : 0
        func quantities(memory: String, storage: String) -> JSONValue {
            .object([
                "cpu": .string(String(host.cpuCount)), "memory": .string(memory),
                "ephemeral-storage": .string(storage), "pods": .string("110"),
                "hugepages-1Gi": .string("0"), "hugepages-2Mi": .string("0"),
            ])
        }
        let status: JSONValue = .object([
            "conditions": .array(conditions),
            "addresses": .array([
                .object(["type": .string("InternalIP"), "address": .string(address)]),
                .object(["type": .string("Hostname"), "address": .string(nodeName)]),
            ]),
            "capacity": quantities(memory: "\(memoryKi)Ki", storage: "\(host.ephemeralStorageBytes / 1024)Ki"),
            "allocatable": quantities(memory: "\(allocatableMemoryKi)Ki", storage: String(host.ephemeralStorageBytes / 10 * 9)),
            "daemonEndpoints": .object(["kubeletEndpoint": .object(["Port": .integer(10250)])]),
            "nodeInfo": .object([
                "architecture": .string(host.architecture), "bootID": .string(host.bootID),
                "containerRuntimeVersion": .string(host.containerRuntimeVersion),
                "kernelVersion": .string(host.kernelVersion), "kubeProxyVersion": .string(""),
                "kubeletVersion": .string(facts.kubeletVersion), "machineID": .string(host.machineID),
                "operatingSystem": .string("linux"), "osImage": .string(host.osImage),
                "systemUUID": .string(host.systemUUID),
            ]),
        ])
        return .object(["apiVersion": .string("v1"), "kind": .string("Node"),
                        "metadata": .object(metadata), "spec": spec, "status": status])
    }

    /// `node` with every condition's `lastHeartbeatTime` set to `now`: the periodic status post.
    public static func heartbeat(_ node: JSONValue, now: Date = Date()) -> JSONValue {
        var node = node
        guard var status = node["status"]?.object, let conditions = status["conditions"]?.array else { return node }
        status["conditions"] = .array(conditions.map { c in
            var c = c
            c["lastHeartbeatTime"] = .string(KubeTime.rfc3339(now))
            return c
        })
        node["status"] = .object(status)
        return node
    }

    /// The node's uid, if it has one.
    public static func uid(_ node: JSONValue) -> String? { node["metadata"]?["uid"]?.string }
}
