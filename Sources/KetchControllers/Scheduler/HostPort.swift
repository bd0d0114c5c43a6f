import KubeCore

/// One host port a pod binds: `hostIP` (`0.0.0.0` when unset), protocol and port, as
/// kube-scheduler's `HostPortInfo` keys them.
public struct HostPort: Sendable, Hashable {
    /// The host address; `0.0.0.0` binds every address.
    public var ip: String
    /// `TCP` (the default), `UDP` or `SCTP`.
    public var `protocol`: String
    /// The port.
    public var port: Int

    /// A host port; empty ip and protocol take their defaults.
    public init(ip: String = "", protocol: String = "", port: Int) {
        self.ip = ip.isEmpty ? "0.0.0.0" : ip
        self.protocol = `protocol`.isEmpty ? "TCP" : `protocol`
        self.port = port
    }

    /// The host ports of a pod's containers and sidecars. With `hostNetwork` every container
    /// port is a host port, as the apiserver's defaulting makes it.
    public static func of(pod: JSONValue) -> [HostPort] {
        let spec = pod["spec"]
        let hostNetwork = spec?["hostNetwork"]?.bool ?? false
        let sidecars = (spec?["initContainers"]?.array ?? []).filter { $0["restartPolicy"]?.string == "Always" }
        var ports: [HostPort] = []
        for container in (spec?["containers"]?.array ?? []) + sidecars {
            for port in container["ports"]?.array ?? [] {
                let number = port["hostPort"]?.int ?? (hostNetwork ? port["containerPort"]?.int ?? 0 : 0)
                guard number > 0 else { continue }
                ports.append(HostPort(ip: port["hostIP"]?.string ?? "", protocol: port["protocol"]?.string ?? "", port: number))
            }
        }
        return ports
    }

    /// Whether binding this port conflicts with `used`: the same protocol and port on the same
    /// address, where `0.0.0.0` overlaps every address.
    public func conflicts(with used: Set<HostPort>) -> Bool {
        if ip == "0.0.0.0" {
            return used.contains { $0.protocol == `protocol` && $0.port == port }
        }
        return used.contains(self) || used.contains(HostPort(ip: "0.0.0.0", protocol: `protocol`, port: port))
    }
}
