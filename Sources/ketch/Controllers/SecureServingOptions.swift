import ArgumentParser
import GoText
import KetchBootstrap
import KetchControllers
import KubeClient
import Logging

/// The secure-serving and logging flags kube-controller-manager and kube-scheduler share.
struct SecureServingOptions: ParsableArguments {
    @Option(name: .customLong("bind-address"), help: "The IP address on which to listen for the --secure-port port. (default 0.0.0.0)")
    var bindAddress = "0.0.0.0"
    @Option(name: .customLong("secure-port"), help: "The port on which to serve HTTPS with authentication and authorization. (default 10257 for the controller manager, 10259 for the scheduler)")
    var securePort: Int?
    @Option(name: .customLong("tls-cert-file"), help: "File containing the default x509 Certificate for HTTPS. If not set, a self-signed certificate is generated in memory.")
    var tlsCertFile: String?
    @Option(name: .customLong("tls-private-key-file"), help: "File containing the default x509 private key matching --tls-cert-file.")
    var tlsPrivateKeyFile: String?
    @Option(name: .customLong("v"), help: "number for the log level verbosity")
    var verbosity = 0

    /// The runner: client, health port and leader election as the flags say.
    func runner(component: String, kubeconfig: String, leaderElect: String, lease: (namespace: String, name: String),
                durations: (lease: String, renew: String, retry: String), logger: Logger) throws -> ComponentRunner {
        if (tlsCertFile == nil) != (tlsPrivateKeyFile == nil) {
            throw ValidationError("--tls-cert-file and --tls-private-key-file must be given together")
        }
        let files = tlsCertFile.flatMap { cert in tlsPrivateKeyFile.map { (cert: cert, key: $0) } }
        let health = HealthServer(bindAddress: bindAddress, port: securePort ?? 0, certificateFiles: files, logger: logger)
        let election = LeaderElectionConfig(
            name: lease.name, namespace: lease.namespace,
            leaseDuration: try GoFlag.duration(durations.lease, flag: "leader-elect-lease-duration"),
            renewDeadline: try GoFlag.duration(durations.renew, flag: "leader-elect-renew-deadline"),
            retryPeriod: try GoFlag.duration(durations.retry, flag: "leader-elect-retry-period"))
        return ComponentRunner(
            component: component, version: KubernetesRelease.default.description, kubeconfig: kubeconfig,
            leaderElect: try GoFlag.bool(leaderElect, flag: "leader-elect"), leaderElection: election,
            health: health, logger: logger)
    }
}
