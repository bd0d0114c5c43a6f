import ArgumentParser
import Foundation
import KetchControllers
import KubeCore

/// `ketch node add NAME...`: registers simulated worker Nodes.
struct NodeAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Register simulated worker nodes.",
        discussion: """
            Creates one Node per NAME, shaped as a kind worker: the kubernetes.io/hostname, os and \
            arch labels, kubeadm's annotations, the capacity given, Ready, an InternalIP on kind's \
            network (172.18.0.2, 172.18.0.3, ...), and no taints. A NAME that exists already is an \
            error, as with "kubectl create".

            Examples:
              # One worker
              ketch node add worker-a

              # Three small workers
              ketch node add w1 w2 w3 --cpu 2 --memory 2Gi --pods 50
            """
    )

    @Argument(help: "Names of the nodes to add (DNS-1123 subdomains).")
    var names: [String]

    @Option(help: "CPU capacity, as a quantity (4, 2500m).")
    var cpu = "4"

    @Option(help: "Memory capacity, as a quantity (8Gi, 512Mi).")
    var memory = "8Gi"

    @Option(help: "The most pods the node runs.")
    var pods = 110

    @OptionGroup var client: NodeClientOptions

    func validate() throws {
        guard !names.isEmpty else { throw ValidationError("give at least one NAME") }
        for name in names {
            if let problem = NameValidation.nameProblem(name, BuiltinResources.nodes) {
                throw ValidationError("invalid node name \"\(name)\": \(problem)")
            }
        }
        if let bad = capacity.invalidField { throw ValidationError("invalid capacity \(bad)") }
    }

    private var capacity: WorkerNode.Capacity { WorkerNode.Capacity(cpu: cpu, memory: memory, pods: pods) }

    func run() async throws {
        let outcomes = try await client.withClient { api in
            try await WorkerNodes.register(names, api: api, capacity: capacity)
        }
        var failed = false
        for (name, outcome) in outcomes {
            switch outcome {
            case .created:
                print("node/\(name) created")
            case .exists:
                failed = true
                FileHandle.standardError.write(Data("Error from server (AlreadyExists): nodes \"\(name)\" already exists\n".utf8))
            }
        }
        if failed { throw ExitCode(1) }
    }
}
