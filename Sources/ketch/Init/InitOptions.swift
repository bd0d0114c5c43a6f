import ArgumentParser
import Foundation
import KetchBootstrap
import KetchPKI

/// The cluster settings `ketch init`, its phases, `reset` and `certs` share (kubeadm's flag names).
struct InitOptions: ParsableArguments {
    @Option(help: "Where the cluster lives: kubernetes/ (as /etc/kubernetes) and etcd/ (as /var/lib/etcd). Env: KETCH_STATE_DIR. (default: ~/.ketch)")
    var stateDir: String?

    @Option(help: "Specify the node name. (default: the host name)")
    var nodeName: String?

    @Option(help: "The IP address the API Server will advertise it's listening on.")
    var apiserverAdvertiseAddress = "127.0.0.1"

    @Option(help: "Port for the API Server to bind to.")
    var apiserverBindPort = 6443

    @Option(help: "Port etcd serves clients on; the peer port is one more unless --etcd-peer-port is given.")
    var etcdClientPort = 2379

    @Option(help: "Port etcd serves peers on. (default: --etcd-client-port + 1)")
    var etcdPeerPort: Int?

    @Option(help: "Port etcd serves /metrics, /livez and /readyz on. (default: --etcd-client-port + 2)")
    var etcdMetricsPort: Int?

    @Option(help: "Port kube-controller-manager serves /healthz on (its --secure-port).")
    var controllerManagerPort = 10257

    @Option(help: "Port kube-scheduler serves /healthz, /livez and /readyz on (its --secure-port).")
    var schedulerPort = 10259

    @Option(help: "Use alternative range of IP address for service VIPs.")
    var serviceCidr = "10.96.0.0/12"

    @Option(help: "Specify range of IP addresses for the pod network.")
    var podNetworkCidr: String?

    @Option(help: "Choose a specific Kubernetes version for the control plane.")
    var kubernetesVersion: String?

    @Option(help: "The path where to save and store the certificates. (default: STATE/kubernetes/pki)")
    var certDir: String?

    @Option(help: "Key type for new certificates: RSA-2048, RSA-3072, RSA-4096 or ECDSA-P256.")
    var encryptionAlgorithm = "RSA-2048"

    /// The state directory: the flag, else `KETCH_STATE_DIR`, else `~/.ketch`.
    var resolvedStateDir: String {
        let raw = stateDir ?? ProcessInfo.processInfo.environment["KETCH_STATE_DIR"] ?? (NSHomeDirectory() + "/.ketch")
        return URL(fileURLWithPath: (raw as NSString).expandingTildeInPath).standardizedFileURL.path
    }

    var resolvedNodeName: String {
        nodeName ?? ProcessInfo.processInfo.hostName.split(separator: ".").first.map { String($0).lowercased() } ?? "node"
    }

    var layout: StateLayout { StateLayout(root: resolvedStateDir, certificatesDirectory: certDir) }

    var algorithm: KeyAlgorithm {
        get throws {
            guard let algorithm = KeyAlgorithm(rawValue: encryptionAlgorithm) else {
                throw ValidationError("unknown --encryption-algorithm \"\(encryptionAlgorithm)\": use RSA-2048, RSA-3072, RSA-4096 or ECDSA-P256")
            }
            return algorithm
        }
    }

    /// The control plane these flags describe, validated (bad CIDRs, addresses, names, ports fail here).
    func controlPlane() throws -> ControlPlaneConfiguration {
        var c = ControlPlaneConfiguration(nodeName: resolvedNodeName, advertiseAddress: apiserverAdvertiseAddress, layout: layout)
        c.apiServerPort = apiserverBindPort
        c.etcdClientPort = etcdClientPort
        c.etcdPeerPort = etcdPeerPort ?? etcdClientPort + 1
        c.etcdMetricsPort = etcdMetricsPort ?? etcdClientPort + 2
        c.controllerManagerPort = controllerManagerPort
        c.schedulerPort = schedulerPort
        c.serviceCIDR = serviceCidr
        c.podCIDR = podNetworkCidr
        if let kubernetesVersion { c.kubernetesVersion = kubernetesVersion }
        c.encryptionAlgorithm = encryptionAlgorithm
        try c.validate()
        return c
    }

    func pkiParameters() throws -> PKIParameters {
        try PKIParameters(nodeName: resolvedNodeName, advertiseAddress: apiserverAdvertiseAddress, serviceCIDR: serviceCidr)
    }
}
