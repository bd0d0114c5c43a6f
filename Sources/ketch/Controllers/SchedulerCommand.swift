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

    @Option(name: .customLong("kubeconfig"), help: "Path to kubeconfig file with authorization and master location information.")
    var kubeconfig: String
    @Option(name: .customLong("authentication-kubeconfig"), help: "kubeconfig file pointing at the 'core' kubernetes server with enough rights to create tokenreviews.authentication.k8s.io.")
    var authenticationKubeconfig: String?
    @Option(name: .customLong("authorization-kubeconfig"), help: "kubeconfig file pointing at the 'core' kubernetes server with enough rights to create subjectaccessreviews.authorization.k8s.io.")
    var authorizationKubeconfig: String?
    @Option(name: .customLong("leader-elect"), help: "Start a leader election client and gain leadership before executing the main loop. (default true)")
    var leaderElect = "true"
    @Option(name: .customLong("leader-elect-lease-duration"), help: "The duration that non-leader candidates will wait after observing a leadership renewal until attempting to acquire leadership. (default 15s)")
    var leaseDuration = "15s"
    @Option(name: .customLong("leader-elect-renew-deadline"), help: "The interval between attempts by the acting master to renew a leadership slot before it stops leading. (default 10s)")
    var renewDeadline = "10s"
    @Option(name: .customLong("leader-elect-retry-period"), help: "The duration the clients should wait between attempting acquisition and renewal of a leadership. (default 2s)")
    var retryPeriod = "2s"
    @Option(name: .customLong("leader-elect-resource-name"), help: "The name of resource object that is used for locking during leader election. (default \"kube-scheduler\")")
    var leaseName = "kube-scheduler"
    @Option(name: .customLong("leader-elect-resource-namespace"), help: "The namespace of resource object that is used for locking during leader election. (default \"kube-system\")")
    var leaseNamespace = "kube-system"
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
        let runner = try serving.runner(
            component: "kube-scheduler", kubeconfig: kubeconfig, leaderElect: leaderElect,
            lease: (leaseNamespace, leaseName), durations: (leaseDuration, renewDeadline, retryPeriod), logger: logger)
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
