import Foundation
import KubeClient
import KubeCore
import Synchronization

/// What the kubelet of each simulated worker does to stay alive in the node lifecycle
/// controller's eyes: renew the Lease `kube-node-lease/<node>` every `leaseInterval` (10 s,
/// a quarter of its 40 s duration) and post the Node's conditions with a fresh
/// `lastHeartbeatTime` every `heartbeatInterval`, or at once when another writer changed them
/// (the node was marked Unknown while this kubelet was down).
final class WorkerNodeHeartbeat: Reconciler {
    let leaseInterval: Duration
    let heartbeatInterval: Duration
    let nodeState: SimulatedKubeletNodeState
    private let nodes: Informer
    /// The Lease last written per node, and when: updates carry its resourceVersion, so a
    /// renewal is one request.
    private let leases = Mutex<[String: (lease: JSONValue, renewed: Date)]>([:])

    var primary: ResourceType { BuiltinResources.nodes }
    var workers: Int { 2 }

    init(context: ControllerContext, nodeState: SimulatedKubeletNodeState, leaseInterval: Duration, heartbeatInterval: Duration) {
        self.nodeState = nodeState
        self.leaseInterval = leaseInterval
        self.heartbeatInterval = heartbeatInterval
        self.nodes = context.informer(BuiltinResources.nodes)
    }

    func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        guard let node = nodes.get(key), SimulatedKubeletScope.isSimulatedWorker(node) else {
            // Gone, or no longer simulated: its Lease goes with it (owner reference).
            leases.withLock { $0[key.name] = nil }
            if nodes.get(key) == nil { nodeState.forget(key.name) }
            return .done
        }
        let now = context.now()
        var leaseDue = leaseInterval
        if let renewed = leases.withLock({ $0[key.name]?.renewed }), seconds(leaseInterval) > now.timeIntervalSince(renewed) {
            leaseDue = .milliseconds(Int64((seconds(leaseInterval) - now.timeIntervalSince(renewed)) * 1000))
        } else {
            try await renewLease(node, now: now, context: context)
        }
        var heartbeatDue = heartbeatInterval
        let last = WorkerNode.lastHeartbeat(node)
        if let last, WorkerNode.conditionsAreKubelets(node), seconds(heartbeatInterval) > now.timeIntervalSince(last) {
            heartbeatDue = .milliseconds(Int64((seconds(heartbeatInterval) - now.timeIntervalSince(last)) * 1000))
        } else {
            _ = try await context.api.updateStatus(BuiltinResources.nodes, namespace: nil, WorkerNode.heartbeat(node, now: now))
        }
        return .requeue(after: max(.milliseconds(100), min(leaseDue, heartbeatDue)))
    }

    /// Renews the node's Lease from the copy last written, re-reading it when that is stale
    /// (409), and creating it when there is none. A Lease deleted since it was last written is
    /// created again only on the next round, once the node is seen to still be there (it is
    /// deleted with its Node).
    private func renewLease(_ node: JSONValue, now: Date, context: ControllerContext) async throws {
        let name = node["metadata"]?["name"]?.string ?? ""
        let type = BuiltinResources.leases
        var existing = leases.withLock { $0[name]?.lease }
        for _ in 0..<3 {
            if existing == nil {
                existing = try await context.api.getIfPresent(type, namespace: WorkerNodeLease.namespace, name: name)
            }
            let lease = WorkerNodeLease.build(node: node, now: now, existing: existing)
            do {
                let written = existing == nil
                    ? try await context.api.create(type, namespace: WorkerNodeLease.namespace, lease)
                    : try await context.api.update(type, namespace: WorkerNodeLease.namespace, lease)
                leases.withLock { $0[name] = (written, now) }
                return
            } catch let refused as KubeStatus where refused.code == 404 && existing != nil {
                leases.withLock { $0[name] = nil }
                return
            } catch let refused as KubeStatus where refused.code == 409 {
                existing = nil
            }
        }
        throw KubeStatus.conflict(type, name: name)
    }

    private func seconds(_ duration: Duration) -> TimeInterval { ContainerSimulator.seconds(duration) }
}
