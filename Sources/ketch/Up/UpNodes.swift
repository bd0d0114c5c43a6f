import Foundation
import KetchBootstrap
import KetchControllers
import KetchUp
import KubeClient
import KubeCore

/// What `ketch up` does to the cluster's nodes once the apiserver serves, as kind does after
/// `kubeadm init`: a cluster without workers has the control plane's NoSchedule taint removed
/// so pods run there; with `--nodes N`, N simulated workers are registered instead.
struct UpNodes {
    /// The admin kubeconfig.
    let adminConf: String
    /// The name `--node-name` gives a new cluster; an existing one's control plane is found by its role label.
    let controlPlane: String
    /// `--nodes`.
    let workers: Int
    /// `--node-cpu`, `--node-memory` and `--node-pods`.
    let capacity: WorkerNode.Capacity

    /// The control-plane taint kubeadm's mark-control-plane phase adds.
    static let controlPlaneTaint = "node-role.kubernetes.io/control-plane"

    /// Settles the nodes; waits up to `timeout` for the control-plane Node to be registered.
    func settle(timeout: Duration) async throws {
        let api = try HTTPKubeAPI(config: try KubeConfig.load(path: adminConf), userAgent: "ketch-up/\(KubernetesRelease.default)")
        do {
            try await settle(api, timeout: timeout)
            try await api.shutdown()
        } catch {
            try? await api.shutdown()
            throw error
        }
    }

    private func settle(_ api: HTTPKubeAPI, timeout: Duration) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var node: JSONValue?
        while node == nil {
            let labelled = try? await api.list(BuiltinResources.nodes, namespace: nil,
                                               options: KubeListOptions(labelSelector: Self.controlPlaneTaint)).items
            node = labelled?.first { $0["metadata"]?["name"]?.string == controlPlane } ?? labelled?.first
            if node == nil {
                guard clock.now < deadline else { throw UpNodesError("node \(controlPlane) was not registered within \(timeout)") }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        let name = node?["metadata"]?["name"]?.string ?? controlPlane
        if workers > 0 {
            try await WorkerNodes.ensure(api: api, count: workers, prefix: name, capacity: capacity)
            progress("[up] Registered \(workers) simulated worker node(s): \(WorkerNodes.names(count: workers, prefix: name).joined(separator: ", "))")
            return
        }
        let taints = node?["spec"]?["taints"]?.array ?? []
        let kept = taints.filter { $0["key"]?.string != Self.controlPlaneTaint }
        guard kept.count != taints.count else {
            progress("[up] Single-node cluster: node \(name) takes pods (no \(Self.controlPlaneTaint) taint)")
            return
        }
        let patch: JSONValue = .object(["spec": .object(["taints": kept.isEmpty ? .null : .array(kept)])])
        _ = try await api.patch(BuiltinResources.nodes, namespace: nil, name: name, patch, kind: .merge, subresource: nil)
        progress("[up] Single-node cluster: removed the \(Self.controlPlaneTaint):NoSchedule taint from node \(name), so pods run there (as kind does)")
    }
}

/// A failure to settle the nodes.
struct UpNodesError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
