import Foundation
import KubeClient
import KubeCore

/// kube-controller-manager's `node-lifecycle-controller`, every `period` (`--node-monitor-period`):
/// a node whose kubelet has not renewed its Lease (nor posted status) for
/// `--node-monitor-grace-period` gets its conditions set to Unknown
/// ("Kubelet stopped posting node status."), its pods marked not Ready, and the
/// `node.kubernetes.io/unreachable` taints; a node reporting Ready=False gets the `not-ready`
/// taints; both go again once the node is healthy.
public struct NodeLifecycleController: Runnable {
    /// The catalogue entry.
    public static let descriptor = ControllerDescriptor("node-lifecycle-controller", aliases: ["nodelifecycle"]) { context in
        [NodeLifecycleController(context: context)]
    }

    /// The controller's context.
    public let context: ControllerContext
    /// How often nodes are checked (upstream: 5 s).
    public var period: Duration = .seconds(5)

    /// A controller using `context`.
    public init(context: ControllerContext) { self.context = context }

    public func run() async {
        let nodes = context.informer(BuiltinResources.nodes)
        let leases = context.informer(BuiltinResources.leases)
        let pods = context.informer(BuiltinResources.pods)
        await nodes.waitForSync()
        await leases.waitForSync()
        await pods.waitForSync()
        // A fresh controller-manager gives every node a full grace period, as upstream does
        // (it starts counting from when it first saw the node).
        let started = context.now()
        while !Task.isCancelled {
            for node in nodes.list() {
                let name = node["metadata"]?["name"]?.string ?? ""
                let lease = leases.get(ObjectKey(namespace: "kube-node-lease", name: name))
                let health = NodeHealth(node: node, lease: lease, now: context.now(), started: started,
                                        grace: Self.seconds(context.options.nodeMonitorGracePeriod))
                await apply(health, to: node, pods: pods.list().filter { $0["spec"]?["nodeName"]?.string == name })
            }
            do { try await Task.sleep(for: period) } catch { return }
        }
    }

    private func apply(_ health: NodeHealth, to node: JSONValue, pods: [JSONValue]) async {
        let name = node["metadata"]?["name"]?.string ?? ""
        if health.isSilent, !health.conditionsUnknown {
            var updated = node
            updated["status"]?["conditions"] = .array(NodeHealth.markedUnknown(node["status"]?["conditions"]?.array ?? [],
                                                                              now: KubeTime.rfc3339(context.now())))
            if (try? await context.api.updateStatus(BuiltinResources.nodes, namespace: nil, updated)) != nil {
                context.events.record(node, type: "Normal", reason: "NodeNotReady", message: "Node \(name) status is now: NodeNotReady")
                for pod in pods { await markNotReady(pod) }
            }
        }
        let taints = node["spec"]?["taints"]?.array ?? []
        let wanted = health.taints(current: taints, now: KubeTime.rfc3339(context.now()))
        if wanted != taints {
            let patch: JSONValue = .object(["spec": .object(["taints": wanted.isEmpty ? .null : .array(wanted)])])
            _ = try? await context.api.patch(BuiltinResources.nodes, namespace: nil, name: name, patch, kind: .merge, subresource: nil)
        }
    }

    /// Sets a pod's Ready condition False, as upstream's MarkPodsNotReady.
    private func markNotReady(_ pod: JSONValue) async {
        var updated = pod
        var changed = false
        let conditions = (pod["status"]?["conditions"]?.array ?? []).map { condition -> JSONValue in
            guard condition["type"]?.string == "Ready", condition["status"]?.string != "False" else { return condition }
            var copy = condition
            copy["status"] = .string("False")
            copy["lastTransitionTime"] = .string(KubeTime.rfc3339(context.now()))
            changed = true
            return copy
        }
        guard changed else { return }
        updated["status"]?["conditions"] = .array(conditions)
        let key = ObjectKey(pod)
        _ = try? await context.api.updateStatus(BuiltinResources.pods, namespace: key.namespace, updated)
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18
    }
}

/// What the node lifecycle controller concludes about one node: pure, for unit tests.
struct NodeHealth {
    /// No Lease renewal or status heartbeat within the grace period.
    let isSilent: Bool
    /// The Ready condition's status ("True", "False", "Unknown", or nil when absent).
    let ready: String?

    /// The node's health at `now`; `started` is when the controller began watching.
    init(node: JSONValue, lease: JSONValue?, now: Date, started: Date, grace: TimeInterval) {
        let conditions = node["status"]?["conditions"]?.array ?? []
        let readyCondition = conditions.first { $0["type"]?.string == "Ready" }
        ready = readyCondition?["status"]?.string
        let heartbeats = [lease?["spec"]?["renewTime"]?.string, readyCondition?["lastHeartbeatTime"]?.string]
            .compactMap { $0.flatMap(KubeTime.parse) }
        let last = max(heartbeats.max() ?? .distantPast, started)
        isSilent = now.timeIntervalSince(last) > grace
    }

    /// Whether the Ready condition already says Unknown.
    var conditionsUnknown: Bool { ready == "Unknown" }

    /// The taint keys this controller manages.
    static let unreachable = "node.kubernetes.io/unreachable"
    static let notReady = "node.kubernetes.io/not-ready"

    /// `current` with this controller's taints set as the health requires (others kept as they are).
    func taints(current: [JSONValue], now: String) -> [JSONValue] {
        let key: String? = isSilent || ready == "Unknown" ? Self.unreachable : (ready == "False" ? Self.notReady : nil)
        var result = current.filter { taint in
            let k = taint["key"]?.string ?? ""
            return !(k == Self.unreachable || k == Self.notReady) || k == key
        }
        guard let key else { return result }
        for effect in ["NoSchedule", "NoExecute"] where !result.contains(where: { $0["key"]?.string == key && $0["effect"]?.string == effect }) {
            var taint: [String: JSONValue] = ["key": .string(key), "effect": .string(effect)]
            if effect == "NoExecute" { taint["timeAdded"] = .string(now) }
            result.append(.object(taint))
        }
        return result
    }

    /// The node's conditions with the kubelet-reported ones set to Unknown.
    static func markedUnknown(_ conditions: [JSONValue], now: String) -> [JSONValue] {
        let kubeletTypes: Set<String> = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]
        return conditions.map { condition in
            guard let type = condition["type"]?.string, kubeletTypes.contains(type) else { return condition }
            var copy = condition
            copy["status"] = .string("Unknown")
            copy["reason"] = .string("NodeStatusUnknown")
            copy["message"] = .string("Kubelet stopped posting node status.")
            copy["lastTransitionTime"] = .string(now)
            return copy
        }
    }
}
