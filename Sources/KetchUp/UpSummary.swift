import KetchBootstrap

/// What `ketch up` prints once the control plane is ready: how to reach the apiserver and etcd.
public enum UpSummary {
    /// The summary for the cluster in `layout`, run from the `etcd` and (when it runs) `apiserver`
    /// commands, ready after `readyIn`. etcdctl gets the apiserver's own etcd client credentials,
    /// as its manifest names them; `etcdClientPort` stands in when etcd's manifest names no client URL.
    public static func text(
        layout: StateLayout, etcd: StaticPodCommand, apiserver: StaticPodCommand?, readyIn: Duration, etcdClientPort: Int
    ) -> String {
        let pki = layout.pki.directory
        let endpoint = etcd.urls(of: "listen-client-urls").first.flatMap { url in
            DialAddress(url, defaultPort: 2379).map { "\(url.scheme ?? "https")://\($0)" }
        } ?? "https://127.0.0.1:\(etcdClientPort)"
        let cacert = apiserver?.value(of: "etcd-cafile") ?? pki + "/etcd/ca.crt"
        let cert = apiserver?.value(of: "etcd-certfile") ?? pki + "/apiserver-etcd-client.crt"
        let key = apiserver?.value(of: "etcd-keyfile") ?? pki + "/apiserver-etcd-client.key"
        var lines = [
            "",
            "Your Ketch control plane is up (ready in \(readyIn.secondsText)).",
            "",
        ]
        if apiserver != nil {
            lines += [
                "To use it:",
                "  export KUBECONFIG=\(layout.kubeconfig(.admin))",
                "  kubectl get pods -n kube-system",
            ]
        } else {
            lines += ["kube-apiserver is not running (this ketch has no apiserver command yet); etcd serves the cluster's /registry."]
        }
        lines += [
            "etcd:",
            "  etcdctl --endpoints=\(endpoint) --cacert=\(cacert) --cert=\(cert) --key=\(key) get /registry --prefix --keys-only",
            "Logs: \(layout.root)/logs/   Stop: Ctrl-C",
        ]
        return lines.joined(separator: "\n")
    }
}
