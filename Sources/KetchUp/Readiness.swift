/// How `ketch up` decides a component is ready.
public enum Readiness: Sendable, CustomStringConvertible {
    /// `GET path` over plain HTTP answers 200 (etcd's metrics listener); `fallback` is tried when
    /// the first path is not found (older servers have /health but no /readyz).
    case http(DialAddress, path: String, fallback: String)
    /// A TCP connection opens.
    case tcp(DialAddress, scheme: String)

    /// etcd: /readyz on the first plain-HTTP metrics URL; without one, a connection to the client port.
    public static func etcd(_ command: StaticPodCommand) -> Readiness {
        if let metrics = command.urls(of: "listen-metrics-urls").first(where: { $0.scheme == "http" }),
           let address = DialAddress(metrics, defaultPort: 2381) {
            return .http(address, path: "/readyz", fallback: "/health")
        }
        let client = command.urls(of: "listen-client-urls").first
        return .tcp(client.flatMap { DialAddress($0, defaultPort: 2379) } ?? DialAddress(host: "127.0.0.1", port: 2379),
                    scheme: client?.scheme ?? "https")
    }

    /// kube-apiserver: its secure port accepts connections. Its /readyz is HTTPS under the
    /// cluster CA, which Foundation's URLSession on Linux cannot be told to trust, and `ketch up`
    /// adds no TLS client of its own; the apiserver opens the port once it serves.
    public static func apiserver(_ command: StaticPodCommand) -> Readiness {
        let port = command.value(of: "secure-port").flatMap(Int.init) ?? 6443
        let bind = command.value(of: "bind-address")
        let host = bind.flatMap { $0 == "0.0.0.0" || $0 == "::" ? nil : $0 } ?? command.value(of: "advertise-address") ?? "127.0.0.1"
        return .tcp(DialAddress(host: host, port: port), scheme: "https")
    }

    /// kube-controller-manager and kube-scheduler: their secure port (`defaultPort` when the
    /// manifest names none) accepts connections; they open it before campaigning for leadership.
    public static func securePort(_ command: StaticPodCommand, defaultPort: Int) -> Readiness {
        let port = command.value(of: "secure-port").flatMap(Int.init) ?? defaultPort
        let bind = command.value(of: "bind-address").flatMap { $0 == "0.0.0.0" || $0 == "::" ? nil : $0 } ?? "127.0.0.1"
        return .tcp(DialAddress(host: bind, port: port), scheme: "https")
    }

    /// What is checked, for messages: `http://127.0.0.1:2381/readyz`, `https://127.0.0.1:6443 (TCP connect)`.
    public var description: String {
        switch self {
        case .http(let address, let path, _): return "http://\(address)\(path)"
        case .tcp(let address, let scheme): return "\(scheme)://\(address) (TCP connect)"
        }
    }

    /// One check.
    public func check() async -> Bool {
        switch self {
        case .http(let address, let path, let fallback):
            switch await ReadinessProbe.httpStatus(of: address, path: path) {
            case 200: return true
            case 404: return await ReadinessProbe.httpStatus(of: address, path: fallback) == 200
            default: return false
            }
        case .tcp(let address, _):
            return await ReadinessProbe.connects(to: address)
        }
    }

    /// Checks every 100 ms until ready; throws ``Interrupted`` on a signal, ``UpError`` (with the
    /// component's last log lines) after `timeout`.
    public func wait(for component: SupervisedComponent, timeout: Duration, shutdown: ShutdownRequest) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let signal = shutdown.requested { throw Interrupted(signal: signal) }
            if component.isRunning, await check() { return }
            if clock.now >= deadline {
                throw UpError("""
                    \(component.name) did not become ready within \(timeout.secondsText) (checked \(self)).
                    Read its log, \(component.logPath); its last lines:
                    \(component.logTail())
                    """)
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}

/// A signal arrived while `ketch up` was still bringing the control plane up.
public struct Interrupted: Error {
    /// The signal's number.
    public let signal: Int32
}
