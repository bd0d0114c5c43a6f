import Foundation
import KetchPKI
import KubeCore

/// A simulated worker Node, shaped as the Node a kubeadm worker's (or a kind worker's) kubelet
/// registers: the well-known labels, kubeadm's annotations, the capacity it was given, the
/// kubelet's conditions, an InternalIP on kind's docker network, and no taints. The annotation
/// `ketch.dev/simulated: "true"` is what makes the simulated kubelet run its pods, renew its
/// Lease and post its heartbeat.
public enum WorkerNode {
    /// The annotation marking a Node whose kubelet is simulated.
    public static let simulatedAnnotation = "ketch.dev/simulated"
    /// The label kubeadm puts on control-plane nodes.
    public static let controlPlaneLabel = "node-role.kubernetes.io/control-plane"

    /// What a worker offers pods (`--cpu`, `--memory`, `--pods`), as quantities.
    public struct Capacity: Sendable, Hashable {
        /// CPU cores (`4`, `2500m`).
        public var cpu: String
        /// Memory (`8Gi`).
        public var memory: String
        /// The most pods the node runs (the kubelet's `maxPods`, 110 by default).
        public var pods: Int
        /// The node file system's size (`100Gi`).
        public var ephemeralStorage: String

        /// A capacity; the defaults are a 4-core, 8 GiB machine with a 100 GiB disk.
        public init(cpu: String = "4", memory: String = "8Gi", pods: Int = 110, ephemeralStorage: String = "100Gi") {
            self.cpu = cpu
            self.memory = memory
            self.pods = pods
            self.ephemeralStorage = ephemeralStorage
        }

        /// The default capacity.
        public static let `default` = Capacity()

        /// The first value that is not a valid quantity (or a positive pod count), as
        /// `flag: value`; nil when all are.
        public var invalidField: String? {
            for (name, value) in [("cpu", cpu), ("memory", memory), ("ephemeral-storage", ephemeralStorage)] {
                guard let quantity = Quantity(value), quantity.milliValue > 0 else { return "\(name): \(value)" }
            }
            return pods > 0 ? nil : "pods: \(pods)"
        }
    }

    /// The machine a worker reports in `status.nodeInfo`: the host's facts, since a kind node
    /// shares the host's kernel and architecture.
    public struct Machine: Sendable, Hashable {
        /// `nodeInfo.kubeletVersion` (`v1.33.4`).
        public var kubeletVersion: String
        /// Go's GOARCH name (`amd64`).
        public var architecture: String
        /// `uname -r`.
        public var kernelVersion: String
        /// `/etc/os-release` PRETTY_NAME.
        public var osImage: String
        /// `nodeInfo.containerRuntimeVersion`.
        public var containerRuntimeVersion: String
        /// kubeadm's `kubeadm.alpha.kubernetes.io/cri-socket` annotation.
        public var criSocket: String

        /// A machine description.
        public init(kubeletVersion: String, architecture: String, kernelVersion: String, osImage: String,
                    containerRuntimeVersion: String, criSocket: String) {
            self.kubeletVersion = kubeletVersion
            self.architecture = architecture
            self.kernelVersion = kernelVersion
            self.osImage = osImage
            self.containerRuntimeVersion = containerRuntimeVersion
            self.criSocket = criSocket
        }

        /// The machine `node` reports (its `nodeInfo` and cri-socket annotation), so workers
        /// added to a cluster match its control-plane node; nil when it reports no kubelet version.
        public init?(reportedBy node: JSONValue) {
            let info = node["status"]?["nodeInfo"]
            guard let version = info?["kubeletVersion"]?.string, !version.isEmpty else { return nil }
            self.init(kubeletVersion: version, architecture: info?["architecture"]?.string ?? "amd64",
                      kernelVersion: info?["kernelVersion"]?.string ?? "", osImage: info?["osImage"]?.string ?? "",
                      containerRuntimeVersion: info?["containerRuntimeVersion"]?.string ?? "",
                      criSocket: node["metadata"]?["annotations"]?["kubeadm.alpha.kubernetes.io/cri-socket"]?.string
                          ?? "unix:///var/run/containerd/containerd.sock")
        }
    }

    /// The kubelet's node conditions when all is well, in the order it lists them.
    static let healthyConditions: [(type: String, status: String, reason: String, message: String)] = [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ]

    /// The Node to create for worker `name` at `hostIP`, registered at `now`.
    public static func build(name: String, capacity: Capacity, hostIP: String, machine: Machine, now: Date = Date()) -> JSONValue {
        let labels: [String: JSONValue] = [
            "beta.kubernetes.io/arch": .string(machine.architecture), "beta.kubernetes.io/os": .string("linux"),
            "kubernetes.io/arch": .string(machine.architecture), "kubernetes.io/hostname": .string(name),
            "kubernetes.io/os": .string("linux"),
        ]
        let annotations: [String: JSONValue] = [
            simulatedAnnotation: .string("true"),
            "kubeadm.alpha.kubernetes.io/cri-socket": .string(machine.criSocket),
            "node.alpha.kubernetes.io/ttl": .string("0"),
            "volumes.kubernetes.io/controller-managed-attach-detach": .string("true"),
        ]
        // A kind node is a container: its own machine-id and product uuid, the host's boot id.
        let machineID = String(ContainerImage.sha256Hex("ketch-node/\(name)").prefix(32))
        let status: JSONValue = .object([
            "conditions": .array(conditions(existing: [], now: now)),
            "addresses": .array([
                .object(["type": .string("InternalIP"), "address": .string(hostIP)]),
                .object(["type": .string("Hostname"), "address": .string(name)]),
            ]),
            "capacity": quantities(capacity, allocatable: false),
            "allocatable": quantities(capacity, allocatable: true),
            "daemonEndpoints": .object(["kubeletEndpoint": .object(["Port": .integer(10250)])]),
            "nodeInfo": .object([
                "architecture": .string(machine.architecture), "bootID": .string(bootID()),
                "containerRuntimeVersion": .string(machine.containerRuntimeVersion),
                "kernelVersion": .string(machine.kernelVersion), "kubeProxyVersion": .string(""),
                "kubeletVersion": .string(machine.kubeletVersion), "machineID": .string(machineID),
                "operatingSystem": .string("linux"), "osImage": .string(machine.osImage),
                "systemUUID": .string(uuidForm(machineID)),
            ]),
        ])
        return .object([
            "apiVersion": .string("v1"), "kind": .string("Node"),
            "metadata": .object(["name": .string(name), "labels": .object(labels), "annotations": .object(annotations)]),
            "spec": .object([:]),
            "status": status,
        ])
    }

    /// The kubelet's conditions as of `now`: each healthy template with a fresh heartbeat,
    /// keeping `lastTransitionTime` of an existing condition whose status is unchanged.
    static func conditions(existing: [JSONValue], now: Date) -> [JSONValue] {
        let stamp = KubeTime.rfc3339(now)
        return healthyConditions.map { template in
            let previous = existing.first { $0["type"]?.string == template.type }
            let transition = previous?["status"]?.string == template.status ? previous?["lastTransitionTime"]?.string ?? stamp : stamp
            return .object([
                "type": .string(template.type), "status": .string(template.status), "reason": .string(template.reason),
                "message": .string(template.message), "lastHeartbeatTime": .string(stamp),
                "lastTransitionTime": .string(transition),
            ])
        }
    }

    /// `node` with the kubelet's conditions posted at `now` (a heartbeat; it also brings back
    /// Ready after the node lifecycle controller marked the node Unknown).
    public static func heartbeat(_ node: JSONValue, now: Date) -> JSONValue {
        let fresh = conditions(existing: node["status"]?["conditions"]?.array ?? [], now: now)
        var node = node
        node["status"]?["conditions"] = .array(fresh)
        return node
    }

    /// Whether `node`'s conditions are the kubelet's own (no other writer changed their status,
    /// reason or message), so only the heartbeat time can be due.
    static func conditionsAreKubelets(_ node: JSONValue) -> Bool {
        let current = node["status"]?["conditions"]?.array ?? []
        return healthyConditions.allSatisfy { template in
            current.contains { c in
                c["type"]?.string == template.type && c["status"]?.string == template.status
                    && c["reason"]?.string == template.reason && c["message"]?.string == template.message
            }
        }
    }

    /// The newest `lastHeartbeatTime` among `node`'s conditions.
    static func lastHeartbeat(_ node: JSONValue) -> Date? {
        (node["status"]?["conditions"]?.array ?? []).compactMap { $0["lastHeartbeatTime"]?.string.flatMap(KubeTime.parse) }.max()
    }

    /// kind's worker names: `<prefix>-worker`, `<prefix>-worker2`, `<prefix>-worker3`, …
    public static func names(count: Int, prefix: String) -> [String] {
        (0..<max(0, count)).map { $0 == 0 ? "\(prefix)-worker" : "\(prefix)-worker\($0 + 1)" }
    }

    /// kind's docker network, where nodes get `172.18.0.2`, `172.18.0.3`, …
    static let hostNetwork = IPNetwork("172.18.0.0/16")!

    /// `count` addresses on kind's network not in `taken`, lowest first from `172.18.0.2`.
    public static func freeHostIPs(count: Int, taken: Set<String>) -> [String] {
        var found: [String] = []
        var offset = 2
        while found.count < count, let address = hostNetwork.address(at: offset) {
            if !taken.contains(address.description) { found.append(address.description) }
            offset += 1
        }
        return found
    }

    /// `capacity` or `allocatable`: allocatable leaves out the kubelet's default hard eviction
    /// thresholds, 100Mi of memory and 10% of the node file system.
    private static func quantities(_ capacity: Capacity, allocatable: Bool) -> JSONValue {
        let memory = Quantity(capacity.memory)?.int64Value ?? 0
        let storage = Quantity(capacity.ephemeralStorage)?.int64Value ?? 0
        let reserved: Int64 = allocatable ? 100 * 1024 * 1024 : 0
        return .object([
            "cpu": .string(capacity.cpu),
            "memory": .string(binarySI(max(0, memory - reserved))),
            "ephemeral-storage": .string(allocatable ? String(storage / 10 * 9) : binarySI(storage)),
            "pods": .string(String(capacity.pods)),
            "hugepages-1Gi": .string("0"), "hugepages-2Mi": .string("0"),
        ])
    }

    /// `bytes` in apimachinery's canonical binary-SI form: the largest suffix that divides it
    /// exactly (`8Gi`, `8092Mi`), else the plain number.
    static func binarySI(_ bytes: Int64) -> String {
        guard bytes > 0 else { return "0" }
        for (power, suffix) in [(6, "Ei"), (5, "Pi"), (4, "Ti"), (3, "Gi"), (2, "Mi"), (1, "Ki")] {
            let unit = Int64(1) << (10 * power)
            if bytes % unit == 0 { return "\(bytes / unit)\(suffix)" }
        }
        return String(bytes)
    }

    /// The host's boot id (a kind node shares the host kernel), or a fresh one.
    private static func bootID() -> String {
        let text = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? ""
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? UUID().uuidString.lowercased() : trimmed
    }

    /// 32 hex digits in the 8-4-4-4-12 form of a uuid.
    private static func uuidForm(_ hex: String) -> String {
        let h = Array(hex)
        guard h.count == 32 else { return hex }
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(h[$0]) }.joined(separator: "-")
    }
}
