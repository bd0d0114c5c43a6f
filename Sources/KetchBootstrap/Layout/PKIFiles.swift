/// The 22 files kubeadm keeps in its certificate directory (`/etc/kubernetes/pki`), by role.
public struct PKIFiles: Sendable, Equatable {
    /// The certificate directory (kubeadm's `certificatesDir`).
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The folder of the etcd CA and certificates.
    public var etcdDirectory: String { directory + "/etcd" }

    /// The pair named `baseName` as kubeadm names it (`ca`, `apiserver`, `etcd/server`, …).
    public func pair(_ baseName: String) -> CertificateKeyFiles {
        CertificateKeyFiles(directory: directory, baseName: baseName)
    }

    /// The cluster CA (`ca.crt`, `ca.key`); the others follow kubeadm's names.
    public var ca: CertificateKeyFiles { pair("ca") }
    public var apiServer: CertificateKeyFiles { pair("apiserver") }
    public var apiServerKubeletClient: CertificateKeyFiles { pair("apiserver-kubelet-client") }
    public var frontProxyCA: CertificateKeyFiles { pair("front-proxy-ca") }
    public var frontProxyClient: CertificateKeyFiles { pair("front-proxy-client") }
    public var etcdCA: CertificateKeyFiles { pair("etcd/ca") }
    public var etcdServer: CertificateKeyFiles { pair("etcd/server") }
    public var etcdPeer: CertificateKeyFiles { pair("etcd/peer") }
    public var etcdHealthcheckClient: CertificateKeyFiles { pair("etcd/healthcheck-client") }
    public var apiServerEtcdClient: CertificateKeyFiles { pair("apiserver-etcd-client") }
    /// The service-account signing key (RSA, no certificate).
    public var serviceAccountKey: String { directory + "/sa.key" }
    /// The public half of `serviceAccountKey`.
    public var serviceAccountPublicKey: String { directory + "/sa.pub" }

    /// Every certificate/key pair, in kubeadm's `certs` phase order.
    public var pairs: [CertificateKeyFiles] {
        [ca, apiServer, apiServerKubeletClient, frontProxyCA, frontProxyClient,
         etcdCA, etcdServer, etcdPeer, etcdHealthcheckClient, apiServerEtcdClient]
    }

    /// All 22 files.
    public var allFiles: [String] {
        pairs.flatMap { [$0.certificate, $0.key] } + [serviceAccountKey, serviceAccountPublicKey]
    }
}
