import Foundation

/// Host and port of a URL, with the wildcard addresses a server listens on turned into the
/// loopback address a client on this machine dials.
public struct DialAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host to dial: a name or an IP literal, IPv6 without brackets.
    public let host: String
    /// The port to dial.
    public let port: Int

    /// The address to dial for a server bound to `host` (brackets and wildcards allowed) and `port`.
    public init(host: String, port: Int) {
        var host = host
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        switch host {
        case "", "0.0.0.0": host = "127.0.0.1"
        case "::": host = "::1"
        default: break
        }
        self.host = host
        self.port = port
    }

    /// The address to dial for `url`, `defaultPort` when it names none; `nil` without a host.
    public init?(_ url: URL, defaultPort: Int) {
        guard let host = url.host else { return nil }
        self.init(host: host, port: url.port ?? defaultPort)
    }

    /// `host:port`, IPv6 hosts bracketed.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
