import ArgumentParser
import Foundation
import KetchControllers
import KubeCore
import Logging

/// `ketch scheduler`: kube-scheduler's default profile, started with its flags.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Run the Kubernetes scheduler: bind pending pods to nodes that fit them.",
        discussion: """
            The Kubernetes scheduler is a control plane process which assigns Pods to Nodes. The \
            scheduler determines which Nodes are valid placements for each Pod in the scheduling queue \
            according to constraints and available resources, ranks the valid Nodes and binds the Pod \
            to a suitable Node. Ketch's applies the default profile's filters (NodeName, \
            NodeUnschedulable, NodeAffinity, TaintToleration, NodeResourcesFit, NodePorts), prefers \
            the least allocated node, and reports FailedScheduling with kube-scheduler's message.

            It is a client of the apiserver (--kubeconfig), elects a leader through the Lease \
            kube-system/kube-scheduler (--leader-elect) and serves /healthz, /livez and /readyz on \
            --secure-port. Takes kube-scheduler's flags, so the command in the kube-scheduler.yaml \
            manifest written by `ketch init` starts it. Flags it has no use for are accepted with a note.
            """
    )

    @OptionGroup var serving: SecureServingOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var otherFlags: [String] = []

    mutating func validate() throws {
        if serving.securePort == nil { serving.securePort = 10259 }
    }

    func run() async throws {
        let logger = ComponentLogging.bootstrap("kube-scheduler", verbosity: serving.verbosity)
        ComponentLogging.noteIgnored(otherFlags, logger: logger)
        var built = ControllerOptions()
        built.component = "default-scheduler"
        let runner = try serving.runner(component: "kube-scheduler", logger: logger)
        let options = built
        try await ComponentLogging.runUntilSignalled(logger: logger) {
            try await runner.run { api, _ in
                let informers = InformerFactory(api: api, logger: logger)
                let events = EventRecorder(api: api, component: options.component, host: options.host, logger: logger)
                let context = ControllerContext(api: api, informers: informers, events: events, logger: logger, options: options)
                let scheduler = Scheduler(context: context)
                informers.informer(BuiltinResources.pods)
                informers.informer(BuiltinResources.nodes)
                informers.start()
                await scheduler.run()
                informers.stop()
            }
        }
    }
}
