import ArgumentParser
import Foundation
import KetchControllers
import KubeClient
import KubeCore

/// `ketch node remove NAME...`: deletes simulated worker Nodes.
struct NodeRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Delete simulated worker nodes.",
        discussion: """
            Deletes each NAME's Node, as "kubectl delete node" does, and its Lease; the pod \
            garbage collector then deletes the pods that were bound to it. Only simulated workers \
            (annotation ketch.dev/simulated=true) can be removed: the control-plane node, and any \
            node a real kubelet registered, are refused.

            Examples:
              # Remove two workers
              ketch node remove worker-a worker-b
            """
    )

    @Argument(help: "Names of the nodes to remove.")
    var names: [String]

    @OptionGroup var client: NodeClientOptions

    func validate() throws {
        guard !names.isEmpty else { throw ValidationError("give at least one NAME") }
    }

    func run() async throws {
        let failures = try await client.withClient { api in
            var failures = 0
            for name in names {
                if let problem = try await remove(name, api: api) {
                    FileHandle.standardError.write(Data((problem + "\n").utf8))
                    failures += 1
                } else {
                    print("node \"\(name)\" deleted")
                }
            }
            return failures
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// Deletes `name` when it is a simulated worker; otherwise says why not.
    private func remove(_ name: String, api: any KubeAPI) async throws -> String? {
        let nodes = BuiltinResources.nodes
        guard let node = try await api.getIfPresent(nodes, namespace: nil, name: name) else {
            return "Error from server (NotFound): nodes \"\(name)\" not found"
        }
        if node["metadata"]?["labels"]?[WorkerNode.controlPlaneLabel] != nil {
            return "error: node \"\(name)\" is the control-plane node; \"ketch node remove\" removes only simulated worker nodes"
        }
        guard SimulatedKubeletScope.isSimulatedWorker(node) else {
            return "error: node \"\(name)\" is not a simulated worker node (no \(WorkerNode.simulatedAnnotation)=true annotation); delete it with kubectl if you mean to"
        }
        do {
            try await api.delete(nodes, namespace: nil, name: name,
                                 options: KubeDeleteOptions(preconditionUID: node["metadata"]?["uid"]?.string))
        } catch let refused as KubeStatus where refused.code == 404 {
            return "Error from server (NotFound): nodes \"\(name)\" not found"
        }
        // The garbage collector would remove the Lease through its owner reference, but Ketch's
        // does not follow Leases; take it away with its Node.
        do {
            try await api.delete(BuiltinResources.leases, namespace: WorkerNodeLease.namespace, name: name, options: .init())
        } catch let refused as KubeStatus where refused.code == 404 {}
        return nil
    }
}
