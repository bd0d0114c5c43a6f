import Foundation

/// Every path `ketch init` writes, laid out as kubeadm lays out a node, under one state directory:
///
///     <state>/kubernetes/{admin,super-admin,kubelet,controller-manager,scheduler}.conf   (/etc/kubernetes)
///     <state>/kubernetes/pki/…                                                          (/etc/kubernetes/pki)
///     <state>/kubernetes/manifests/{etcd,kube-apiserver,…}.yaml                         (/etc/kubernetes/manifests)
///     <state>/etcd                                                                      (/var/lib/etcd)
///
/// Paths are absolute: they end up in static pod command lines that run from any directory.
public struct StateLayout: Sendable, Equatable {
    /// The state directory.
    public let root: String
    /// Stands for `/etc/kubernetes`.
    public let kubernetesDirectory: String
    /// The certificates, in `kubernetes/pki` unless `--cert-dir` put them elsewhere.
    public let pki: PKIFiles

    /// - Parameters:
    ///   - root: the state directory; a relative path is taken from the current directory.
    ///   - certificatesDirectory: kubeadm's `--cert-dir`; default `<root>/kubernetes/pki`.
    public init(root: String, certificatesDirectory: String? = nil) {
        self.root = Self.absolute(root)
        kubernetesDirectory = self.root + "/kubernetes"
        pki = PKIFiles(directory: certificatesDirectory.map(Self.absolute) ?? kubernetesDirectory + "/pki")
    }

    /// Stands for `/etc/kubernetes/manifests`, the kubelet's `staticPodPath`.
    public var manifestsDirectory: String { kubernetesDirectory + "/manifests" }

    /// etcd's `--data-dir`, which stands for `/var/lib/etcd`.
    public var etcdDataDirectory: String { root + "/etcd" }

    /// Where `file` lives (`<state>/kubernetes/admin.conf`, …).
    public func kubeconfig(_ file: KubeconfigFile) -> String { kubernetesDirectory + "/" + file.fileName }

    /// Where the static pod manifest of `component` lives.
    public func manifest(_ component: ControlPlaneComponent) -> String {
        manifestsDirectory + "/" + component.manifestFileName
    }

    /// Every file init writes (certificates, kubeconfigs, manifests), for reset and checks.
    /// The etcd data directory is not a file and is not listed.
    public var generatedFiles: [String] {
        pki.allFiles + KubeconfigFile.allCases.map(kubeconfig) + ControlPlaneComponent.allCases.map(manifest)
    }

    private static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        var url = URL(fileURLWithPath: expanded).standardizedFileURL.path
        while url.count > 1 && url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
