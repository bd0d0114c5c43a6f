import Foundation

extension StaticPodCommand {
    /// The ports this component will listen on, from its flags, each with the `ketch up` flag
    /// that chooses it for a new cluster.
    public var listenPorts: [ListenPort] {
        func urls(_ flag: String, _ upFlag: String) -> [ListenPort] {
            self.urls(of: flag).compactMap { url in
                url.port.map { ListenPort(host: url.host ?? "127.0.0.1", port: $0, owner: "\(component) --\(flag)", flag: upFlag) }
            }
        }
        func secure(_ defaultPort: Int, _ upFlag: String) -> [ListenPort] {
            let port = value(of: "secure-port").flatMap(Int.init) ?? defaultPort
            let host = value(of: "bind-address") ?? "0.0.0.0"
            return [ListenPort(host: host, port: port, owner: "\(component) --secure-port", flag: upFlag)]
        }
        switch component {
        case "etcd":
            return urls("listen-client-urls", "--etcd-client-port") + urls("listen-peer-urls", "--etcd-peer-port")
                + urls("listen-metrics-urls", "--etcd-metrics-port")
        case "kube-apiserver": return secure(6443, "--apiserver-bind-port")
        case "kube-controller-manager": return secure(10257, "--controller-manager-port")
        case "kube-scheduler": return secure(10259, "--scheduler-port")
        default: return []
        }
    }
}
