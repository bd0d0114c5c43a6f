import ArgumentParser

/// A `--listen-client-urls` (or `--listen-metrics-urls`) entry: where to bind and whether it is TLS.
public struct ListenURL: Sendable, CustomStringConvertible {
    /// The schemes etcd listens on; the `s` ones are TLS.
    public enum Scheme: String, Sendable { case http, https, unix, unixs }

    /// Where a listener binds, as etcd resolves it: `localhost` is 127.0.0.1, and host names are refused.
    public enum BindAddress: Sendable, Equatable {
        /// An IPv4 address (`localhost` is 127.0.0.1).
        case ipv4(host: String, port: Int)
        /// An IPv6 address, without brackets.
        case ipv6(host: String, port: Int)
        /// A Unix domain socket's path.
        case unixDomainSocket(path: String)
    }

    /// The URL's scheme.
    public var scheme: Scheme
    /// Where to bind.
    public var address: BindAddress
    /// The host as written (`localhost`, an IP literal, or the socket path); `--auto-tls` names it in the certificate.
    public var host: String
    /// The URL as given.
    public var description: String

    /// Parses an etcd listen URL (`http://IP:PORT`, `http://localhost:PORT`, `unix://PATH`).
    public init(_ text: String) throws {
        description = text
        guard let sep = text.range(of: "://"), let scheme = Scheme(rawValue: String(text[..<sep.lowerBound]).lowercased()) else {
            throw ValidationError("URL scheme must be http, https, unix, or unixs: \(text)")
        }
        self.scheme = scheme
        let rest = String(text[sep.upperBound...]).split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if scheme == .unix || scheme == .unixs {
            host = String(text[sep.upperBound...])
            address = .unixDomainSocket(path: host)
            return
        }
        let portText: String
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            portText = String(rest[rest.index(after: close)...]).drop { $0 == ":" }.description
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            portText = String(rest[rest.index(after: colon)...])
        } else {
            throw ValidationError("URL address does not have the form \"host:port\": \(text)")
        }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ValidationError("URL address does not have the form \"host:port\": \(text)")
        }
        if host == "localhost" {
            address = .ipv4(host: "127.0.0.1", port: port)
        } else if host.contains(":") {
            address = .ipv6(host: host, port: port)
        } else if host.split(separator: ".").count == 4, host.split(separator: ".").allSatisfy({ UInt8($0) != nil }) {
            address = .ipv4(host: host, port: port)
        } else {
            throw ValidationError("expected IP in URL for binding (\(text))")
        }
    }

    /// Whether the listener serves TLS (`https`, `unixs`).
    public var isTLS: Bool { scheme == .https || scheme == .unixs }

    /// Whether the listener is a Unix domain socket.
    public var isUnix: Bool { scheme == .unix || scheme == .unixs }
}
