import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A port a component will listen on, with what to tell the user when it is taken.
public struct ListenPort: Sendable, Equatable {
    /// The address bound (`127.0.0.1`, `0.0.0.0`).
    public var host: String
    /// The port.
    public var port: Int
    /// Whose port it is, e.g. `kube-controller-manager --secure-port`.
    public var owner: String
    /// The `ketch init`/`ketch up` flag that picks it for a new cluster.
    public var flag: String

    /// A port `owner` listens on, chosen by `flag`.
    public init(host: String, port: Int, owner: String, flag: String) {
        self.host = host
        self.port = port
        self.owner = owner
        self.flag = flag
    }
}

/// Finds ports another process already holds, before `ketch up` starts anything: a component
/// that cannot bind would only crash-loop, and a readiness probe could mistake the other
/// process for it.
public enum PortCheck {
    /// The ports of `ports` that cannot be bound now.
    public static func busy(_ ports: [ListenPort]) -> [ListenPort] {
        ports.filter { !canBind(host: $0.host, port: $0.port) }
    }

    /// One line per busy port, naming the flag that moves it.
    public static func message(_ busy: [ListenPort], manifests: String) -> String {
        busy.map { p in
            "port \(p.port) (\(p.owner)) is already in use on \(p.host): another cluster or program holds it. "
                + "Stop it, or give a new cluster another port with \(p.flag) "
                + "(an existing cluster's ports are in \(manifests))"
        }.joined(separator: "\n")
    }

    static func canBind(host: String, port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host == "0.0.0.0" || host.isEmpty ? "0.0.0.0" : host, &address.sin_addr) == 1 else { return true }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0 || errno != EADDRINUSE
    }
}
