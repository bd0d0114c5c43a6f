import ArgumentParser
import Foundation
import GoText
import KetchBootstrap
import KetchControllers
import KubeClient
import Logging

/// `ketch controller-manager`: kube-controller-manager's control loops, started with its flags.
struct ControllerManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller-manager",
        abstract: "Run the Kubernetes controller manager: the control loops that make workloads come alive.",
        discussion: """
            The Kubernetes controller manager is a daemon that embeds the core control loops shipped \
            with Kubernetes. A control loop is a non-terminating loop that regulates the state of the \
            system: it watches the shared state of the cluster through the apiserver and makes changes \
            attempting to move the current state towards the desired state. Ketch's runs the \
            deployment, replicaset, replicationcontroller, statefulset, daemonset, job, cronjob, \
            ttl-after-finished, garbage collector, namespace, serviceaccount, root-ca-certificate-publisher, \
            endpoints, endpointslice, node-ipam, node-lifecycle, pod-garbage-collector and \
            persistentvolume-binder controllers.

            It is a client of the apiserver (--kubeconfig), elects a leader through the Lease \
            kube-system/kube-controller-manager (--leader-elect) and serves /healthz on --secure-port. \
            Takes kube-controller-manager's flags, so the command in the kube-controller-manager.yaml \
            manifest written by `ketch init` starts it. Flags it has no use for are accepted with a note.

            Controllers (--controllers): a list of controllers to enable. '*' enables all on-by-default \
            controllers, 'foo' enables the controller named 'foo', '-foo' disables the controller named \
            'foo'. Upstream's old names (deployment, replicaset, garbagecollector, …) are accepted.
            """
    )

    @Option(name: .customLong("controllers"), help: "A list of controllers to enable. (default [*])")
    var controllers = "*"
    @Option(name: .customLong("cluster-cidr"), help: "CIDR Range for Pods in cluster.")
    var clusterCIDR: String?
    @Option(name: .customLong("allocate-node-cidrs"), help: "Should CIDRs for Pods be allocated and set on the cloud provider.")
    var allocateNodeCIDRs = "false"
    @Option(name: .customLong("node-cidr-mask-size"), help: "Mask size for node cidr in cluster. Default is 24 for IPv4.")
    var nodeCIDRMaskSize = 24
    @Option(name: .customLong("service-cluster-ip-range"), help: "CIDR Range for Services in cluster.")
    var serviceClusterIPRange: String?
    @Option(name: .customLong("cluster-signing-cert-file"), help: "Filename containing a PEM-encoded X509 CA certificate used to issue cluster-scoped certificates.")
    var clusterSigningCertFile: String?
    @Option(name: .customLong("cluster-signing-key-file"), help: "Filename containing a PEM-encoded RSA or ECDSA private key used to sign cluster-scoped certificates.")
    var clusterSigningKeyFile: String?
    @Option(name: .customLong("root-ca-file"), help: "If set, this root certificate authority will be included in service account's token secret. This must be a valid PEM-encoded CA bundle.")
    var rootCAFile: String?
    @Option(name: .customLong("service-account-private-key-file"), help: "Filename containing a PEM-encoded private RSA or ECDSA key used to sign service account tokens.")
    var serviceAccountPrivateKeyFile: String?
    @Option(name: .customLong("use-service-account-credentials"), help: "If true, use individual service account credentials for each controller.")
    var useServiceAccountCredentials = "false"
    @Option(name: .customLong("node-monitor-grace-period"), help: "Amount of time which we allow running Node to be unresponsive before marking it unhealthy. (default 50s)")
    var nodeMonitorGracePeriod = "50s"
    @Option(name: .customLong("terminated-pod-gc-threshold"), help: "Number of terminated pods that can exist before the terminated pod garbage collector starts deleting terminated pods. If <= 0, the terminated pod garbage collector is disabled. (default 12500)")
    var terminatedPodGCThreshold = 12500
    @OptionGroup var serving: SecureServingOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var otherFlags: [String] = []

    mutating func validate() throws {
        if serving.securePort == nil { serving.securePort = 10257 }
    }

    func run() async throws {
        let logger = ComponentLogging.bootstrap("kube-controller-manager", verbosity: serving.verbosity)
        ComponentLogging.noteIgnored(otherFlags, logger: logger)
        let selection = try ControllerSelection(controllers, catalogue: ControllerCatalogue.all)
        for name in selection.notRun {
            logger.info("controller is accepted and not run: Ketch has no stand-in for it", metadata: ["controller": .string(name)])
        }
        var built = ControllerOptions()
        built.clusterCIDR = clusterCIDR
        built.allocateNodeCIDRs = try GoFlag.bool(allocateNodeCIDRs, flag: "allocate-node-cidrs")
        built.nodeCIDRMaskSize = nodeCIDRMaskSize
        built.serviceClusterIPRange = serviceClusterIPRange
        built.nodeMonitorGracePeriod = try GoFlag.duration(nodeMonitorGracePeriod, flag: "node-monitor-grace-period")
        built.terminatedPodGCThreshold = terminatedPodGCThreshold
        if let rootCAFile {
            guard let pem = FileManager.default.contents(atPath: rootCAFile) else {
                throw ValidationError("--root-ca-file: cannot read \(rootCAFile)")
            }
            built.rootCA = String(decoding: pem, as: UTF8.self)
        }
        let useCredentials = try GoFlag.bool(useServiceAccountCredentials, flag: "use-service-account-credentials")
        let enabled = ControllerCatalogue.all.filter { selection.enabled.contains($0.name) }
        let runner = try serving.runner(component: "kube-controller-manager", logger: logger)
        let options = built
        try await ComponentLogging.runUntilSignalled(logger: logger) {
            try await runner.run { api, config in
                let credentials = useCredentials ? ServiceAccountCredentials(
                    root: api, config: config,
                    userAgent: "kube-controller-manager/\(KubernetesRelease.default)", logger: logger) : nil
                await ControllerManager(api: api, options: options, controllers: enabled,
                                        credentials: credentials, logger: logger).run()
            }
        }
    }
}
