import Foundation

/// kube-apiserver's flags that the shim acts on. Parsed by `ketch apiserver` from the
/// static Pod manifest's command, so the names are kube-apiserver's.
public struct APIServerOptions: Sendable {
    /// `--etcd-servers`: etcd client URLs.
    public var etcdServers: [String] = ["http://127.0.0.1:2379"]
    /// `--etcd-cafile`, `--etcd-certfile`, `--etcd-keyfile`: mTLS to etcd.
    public var etcdCAFile: String?
    public var etcdCertFile: String?
    public var etcdKeyFile: String?
    /// `--etcd-prefix`: the key root (`/registry`).
    public var etcdPrefix: String = "/registry"
    /// `--secure-port` and `--bind-address`.
    public var securePort: Int = 6443
    public var bindAddress: String = "0.0.0.0"
    /// `--advertise-address`: the address in discovery and the node's InternalIP.
    public var advertiseAddress: String?
    /// `--tls-cert-file`, `--tls-private-key-file`: the serving pair.
    public var tlsCertFile: String?
    public var tlsPrivateKeyFile: String?
    /// `--client-ca-file`: verifies client certificates.
    public var clientCAFile: String?
    /// `--service-account-key-file` (repeatable): public keys that verify tokens.
    public var serviceAccountKeyFiles: [String] = []
    /// `--service-account-signing-key-file`: the private key that signs tokens.
    public var serviceAccountSigningKeyFile: String?
    /// `--service-account-issuer` (repeatable; the first issues).
    public var serviceAccountIssuers: [String] = []
    /// `--api-audiences`; defaults to the issuers.
    public var apiAudiences: [String] = []
    /// `--service-cluster-ip-range`.
    public var serviceClusterIPRange: String = "10.96.0.0/12"
    /// `--authorization-mode`: `RBAC` enforces, `AlwaysAllow` does not; `Node` is accepted.
    public var authorizationModes: [String] = ["AlwaysAllow"]
    /// `--anonymous-auth`.
    public var anonymousAuth: Bool = true
    /// Ketch's own: where static Pod manifests are (default: `manifests` beside the PKI dir).
    public var podManifestPath: String?
    /// Ketch's own: where component logs are (`kubectl logs`), default `<state>/logs`.
    public var logDirectory: String?
    /// Ketch's own: the node name; default from kubelet.conf, else the host name.
    public var nodeName: String?
    /// Ketch's own: do not act as the node's kubelet (no Node, mirror pods, exec, logs).
    public var disableKubelet = false

    /// Creates default options.
    public init() {}

    /// The Kubernetes directory (`/etc/kubernetes` in kubeadm's layout), found from the
    /// serving certificate's directory (`<dir>/pki/apiserver.crt`).
    public var kubernetesDirectory: URL? {
        guard let cert = tlsCertFile else { return nil }
        let pki = URL(fileURLWithPath: cert).deletingLastPathComponent()
        guard pki.lastPathComponent == "pki" else { return nil }
        return pki.deletingLastPathComponent()
    }

    /// The static Pod manifest directory.
    public var manifestDirectory: URL? {
        if let podManifestPath { return URL(fileURLWithPath: podManifestPath) }
        return kubernetesDirectory?.appendingPathComponent("manifests")
    }

    /// The component log directory.
    public var logs: URL? {
        if let logDirectory { return URL(fileURLWithPath: logDirectory) }
        return kubernetesDirectory?.deletingLastPathComponent().appendingPathComponent("logs")
    }

    /// Whether RBAC is enforced.
    public var rbacEnabled: Bool { authorizationModes.contains("RBAC") }
}
