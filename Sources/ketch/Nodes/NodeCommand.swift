import ArgumentParser

/// `ketch node`: simulated worker nodes, added to and removed from a running cluster.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Add, remove and list the cluster's simulated worker nodes.",
        discussion: """
            A simulated worker is a Node object like the one a kind or kubeadm worker's kubelet \
            registers, annotated ketch.dev/simulated=true. The controller-manager gives it a podCIDR, \
            the scheduler places pods on it, and the simulated kubelet in "ketch apiserver" keeps its \
            Lease and heartbeat and runs its pods (Pending, ContainerCreating, Running, with an IP \
            from its podCIDR). No containers run.

            Examples:
              # Two workers with the default capacity (4 CPUs, 8Gi, 110 pods)
              ketch node add worker-a worker-b

              # A bigger worker, in the cluster of another state directory
              ketch node add big --cpu 16 --memory 64Gi --state-dir /tmp/c2

              # The cluster's nodes
              ketch node list

              # Remove a worker; its pods are garbage-collected
              ketch node remove worker-a
            """,
        subcommands: [NodeAddCommand.self, NodeRemoveCommand.self, NodeListCommand.self]
    )
}
