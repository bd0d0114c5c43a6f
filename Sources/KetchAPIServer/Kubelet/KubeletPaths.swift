import Foundation
import KubeCore

/// Where the emulated kubelet finds its inputs in a Ketch state directory, which mirrors
/// kubeadm's layout: `STATE/kubernetes/{pki, kubelet.conf, manifests}`, `STATE/logs`.
extension KubeletEmulator {
    /// The node name from kubeadm's kubelet.conf: its user is `system:node:<name>` (the client
    /// certificate's CN, which kubeadm also uses as the kubeconfig user name). Checks the
    /// current context's user first, then every user. Nil when the file is unreadable.
    public static func nodeName(stateKubeconfig kubeletConf: URL) -> String? {
        guard let text = try? String(contentsOf: kubeletConf, encoding: .utf8),
              let config = try? YAMLJSON.parse(text) else { return nil }
        let prefix = "system:node:"
        var candidates: [String] = []
        if let current = config["current-context"]?.string,
           let context = config["contexts"]?.array?.first(where: { $0["name"]?.string == current }),
           let user = context["context"]?["user"]?.string {
            candidates.append(user)
        }
        candidates += (config["users"]?.array ?? []).compactMap { $0["name"]?.string }
        for user in candidates where user.hasPrefix(prefix) && user.count > prefix.count {
            return String(user.dropFirst(prefix.count))
        }
        return nil
    }

    /// The kubeconfig/manifest directory (kubeadm's /etc/kubernetes) for a certificate under
    /// its `pki` directory, e.g. kube-apiserver's `--tls-cert-file`: the parent of the nearest
    /// ancestor named `pki`. Nil when the path has no `pki` component.
    public static func kubernetesDirectory(certificateFile: URL) -> URL? {
        var url = certificateFile.standardizedFileURL.deletingLastPathComponent()
        while url.path != "/" && !url.path.isEmpty {
            if url.lastPathComponent == "pki" { return url.deletingLastPathComponent() }
            url = url.deletingLastPathComponent()
        }
        return nil
    }

    /// The static pod directory: `manifests` beside the kubeconfigs, found from a certificate
    /// under `pki` (kube-apiserver's `--tls-cert-file`).
    public static func manifestDirectory(certificateFile: URL) -> URL? {
        kubernetesDirectory(certificateFile: certificateFile)?.appendingPathComponent("manifests", isDirectory: true)
    }

    /// `STATE/logs`, where `ketch up` writes `<component>.log`, for `STATE/kubernetes/manifests`.
    public static func defaultLogDirectory(manifestDirectory: URL) -> URL {
        manifestDirectory.standardizedFileURL.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("logs", isDirectory: true)
    }

    /// The node's InternalIP as kubeadm recorded it: kube-apiserver's `--advertise-address` in
    /// its manifest. Nil when there is no such manifest or flag.
    public static func advertiseAddress(manifestDirectory: URL) -> String? {
        let url = manifestDirectory.appendingPathComponent("kube-apiserver.yaml")
        return (try? StaticPodFile(contentsOf: url))?.flag("advertise-address")
    }
}
