import Foundation
import KetchAPIServer
import KetchBootstrap
import KetchPKI

/// The objects kube-apiserver creates in an empty etcd at its first start (namespaces, the
/// `kubernetes` Service, bootstrap RBAC, priority classes, …) — the same seed `ketch init`
/// preloads into `ketch etcd`, so the apiserver also works over a fresh real etcd. The
/// apiserver writes it under its `--etcd-prefix`.
enum APIServerBootstrap {
    /// The seed for the cluster whose PKI holds `options.tlsCertFile`; nil when the flags do
    /// not point into a Ketch/kubeadm layout.
    static func seed(options: APIServerOptions) throws -> RegistrySeed? {
        guard let kubernetes = options.kubernetesDirectory else { return nil }
        let root = kubernetes.deletingLastPathComponent().path
        let layout = StateLayout(root: root, certificatesDirectory: kubernetes.appendingPathComponent("pki").path)
        let nodeName = options.nodeName
            ?? KubeletEmulator.nodeName(stateKubeconfig: kubernetes.appendingPathComponent("kubelet.conf"))
            ?? ProcessInfo.processInfo.hostName.split(separator: ".").first.map { String($0).lowercased() } ?? "node"
        var configuration = ControlPlaneConfiguration(nodeName: nodeName, advertiseAddress: options.advertiseAddress ?? "127.0.0.1", layout: layout)
        configuration.apiServerPort = options.securePort
        configuration.serviceCIDR = options.serviceClusterIPRange
        let pki = PKIDirectory(kubernetes.appendingPathComponent("pki").path)
        return RegistrySeed(
            controlPlane: try configuration.resolved(),
            certificates: SeedCertificates(
                caPEM: String(decoding: try pki.readCertificate("ca.crt").pemEncoded(), as: UTF8.self),
                frontProxyCAPEM: String(decoding: try pki.readCertificate("front-proxy-ca.crt").pemEncoded(), as: UTF8.self)),
            node: NodeFacts.probe(storagePath: root))
    }
}
