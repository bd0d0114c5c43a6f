import ArgumentParser
import GoText
import KetchBootstrap
import KetchControllers
import KubeClient
import Logging

/// The flags kube-controller-manager and kube-scheduler share: the apiserver client, leader
/// election, secure serving and logging.
struct SecureServingOptions: ParsableArguments {
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
    @Option(name: .customLong("leader-elect-resource-name"), help: "The name of resource object that is used for locking during leader election. (default: the component's name, \"kube-controller-manager\" or \"kube-scheduler\")")
    var leaseName: String?
    @Option(name: .customLong("leader-elect-resource-namespace"), help: "The namespace of resource object that is used for locking during leader election. (default \"kube-system\")")
    var leaseNamespace = "kube-system"
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
    func runner(component: String, logger: Logger) throws -> ComponentRunner {
        if (tlsCertFile == nil) != (tlsPrivateKeyFile == nil) {
            throw ValidationError("--tls-cert-file and --tls-private-key-file must be given together")
        }
        let files = tlsCertFile.flatMap { cert in tlsPrivateKeyFile.map { (cert: cert, key: $0) } }
        let health = HealthServer(bindAddress: bindAddress, port: securePort ?? 0, certificateFiles: files, logger: logger)
        let election = LeaderElectionConfig(
            name: leaseName ?? component, namespace: leaseNamespace,
            leaseDuration: try GoFlag.duration(leaseDuration, flag: "leader-elect-lease-duration"),
            renewDeadline: try GoFlag.duration(renewDeadline, flag: "leader-elect-renew-deadline"),
            retryPeriod: try GoFlag.duration(retryPeriod, flag: "leader-elect-retry-period"))
        return ComponentRunner(
            component: component, version: KubernetesRelease.default.description, kubeconfig: kubeconfig,
            leaderElect: try GoFlag.bool(leaderElect, flag: "leader-elect"), leaderElection: election,
            health: health, logger: logger)
    }
}
