import Foundation
import KetchBootstrap
import KetchControllers
import KubeClient
import KubeCore

/// Registers simulated worker Nodes, as joining a kind worker does: each gets the next free
/// address on kind's network and reports the same machine as the control-plane node; the
/// controller-manager's node-ipam gives it a podCIDR and the simulated kubelet takes it from
/// there (Lease, heartbeat, pods).
enum WorkerNodes {
    /// What registering one name came to.
    enum Outcome: Equatable {
        /// The Node was created.
        case created
        /// A Node of that name exists already.
        case exists
    }

    /// kind's worker names for `count` workers of the cluster whose control plane is `prefix`:
    /// `<prefix>-worker`, `<prefix>-worker2`, …
    static func names(count: Int, prefix: String) -> [String] {
        WorkerNode.names(count: count, prefix: prefix)
    }

    /// Makes sure workers `<prefix>-worker` … `<prefix>-worker<count>` exist; existing ones are
    /// left as they are, so this can run on every `ketch up`.
    static func ensure(api: any KubeAPI, count: Int, prefix: String, capacity: WorkerNode.Capacity = .default) async throws {
        _ = try await register(names(count: count, prefix: prefix), api: api, capacity: capacity)
    }

    /// Creates each Node of `names` that does not exist yet.
    static func register(_ names: [String], api: any KubeAPI, capacity: WorkerNode.Capacity) async throws -> [(String, Outcome)] {
        let nodes = BuiltinResources.nodes
        let existing = try await api.listAll(nodes, namespace: nil).items
        let existingNames = Set(existing.compactMap { $0["metadata"]?["name"]?.string })
        let taken = Set(existing.flatMap { node in
            (node["status"]?["addresses"]?.array ?? []).compactMap { $0["address"]?.string }
        })
        let wanted = names.filter { !existingNames.contains($0) }
        var addresses = WorkerNode.freeHostIPs(count: wanted.count, taken: taken)[...]
        let machine = machine(like: existing)
        var outcomes: [(String, Outcome)] = []
        for name in names {
            guard wanted.contains(name), let hostIP = addresses.popFirst() else {
                outcomes.append((name, .exists))
                continue
            }
            let node = WorkerNode.build(name: name, capacity: capacity, hostIP: hostIP, machine: machine)
            do {
                _ = try await api.create(nodes, namespace: nil, node)
                outcomes.append((name, .created))
            } catch let refused as KubeStatus where refused.code == 409 {
                outcomes.append((name, .exists))
            }
        }
        return outcomes
    }

    /// The machine the control-plane node reports, else this host's as `ketch init` probes it.
    private static func machine(like nodes: [JSONValue]) -> WorkerNode.Machine {
        let controlPlane = nodes.first { $0["metadata"]?["labels"]?[WorkerNode.controlPlaneLabel] != nil }
        if let reported = controlPlane.flatMap(WorkerNode.Machine.init(reportedBy:)) { return reported }
        let host = NodeFacts.probe(storagePath: NSTemporaryDirectory())
        return WorkerNode.Machine(kubeletVersion: KubernetesRelease.default.description, architecture: host.architecture,
                                  kernelVersion: host.kernelVersion, osImage: host.osImage,
                                  containerRuntimeVersion: host.containerRuntimeVersion, criSocket: host.criSocket)
    }
}
