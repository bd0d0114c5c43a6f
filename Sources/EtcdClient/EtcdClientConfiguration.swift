import Foundation

/// How an ``EtcdClient`` reaches etcd: endpoints, TLS files, timeouts and credentials.
///
/// Endpoints are written as etcd's Go client takes them:
/// - `https://127.0.0.1:2379`: TLS (with ``caFile``, ``certFile``/``keyFile`` when given);
/// - `http://host:2379`: plaintext;
/// - `host:2379` (no scheme): TLS when any TLS setting is given (``caFile``, ``certFile``,
///   ``keyFile`` or ``insecureSkipVerify``), plaintext otherwise, as etcd's client does.
public struct EtcdClientConfiguration: Sendable {
    /// Endpoints in order of preference; the client uses the first one that answers.
    public var endpoints: [String]
    /// PEM bundle of the CAs that sign etcd's serving certificate (`--cacert`). Nil: the system store.
    public var caFile: String?
    /// PEM client certificate for mutual TLS (`--cert`).
    public var certFile: String?
    /// PEM private key of ``certFile`` (`--key`).
    public var keyFile: String?
    /// Accept any server certificate (`--insecure-skip-tls-verify`). For tests only.
    public var insecureSkipVerify: Bool
    /// The name to verify the server certificate against (and to send as SNI), when it differs
    /// from the endpoint's host.
    public var serverName: String?
    /// How long to wait for an endpoint to answer when connecting, before trying the next.
    public var dialTimeout: Duration
    /// A deadline for every unary request; nil: none (callers may cancel their task instead).
    public var requestTimeout: Duration?
    /// etcd user (auth enabled): the client calls `Auth.Authenticate` and sends the token with every call.
    public var username: String?
    /// Password of ``username``.
    public var password: String?
    /// Largest response message accepted (etcd's Go client accepts up to 2 GiB).
    public var maxResponseBytes: Int

    public init(
        endpoints: [String] = ["127.0.0.1:2379"],
        caFile: String? = nil,
        certFile: String? = nil,
        keyFile: String? = nil,
        insecureSkipVerify: Bool = false,
        serverName: String? = nil,
        dialTimeout: Duration = .seconds(2),
        requestTimeout: Duration? = nil,
        username: String? = nil,
        password: String? = nil,
        maxResponseBytes: Int = Int(Int32.max)
    ) {
        self.endpoints = endpoints
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
        self.dialTimeout = dialTimeout
        self.requestTimeout = requestTimeout
        self.username = username
        self.password = password
        self.maxResponseBytes = maxResponseBytes
    }

    /// Whether any TLS setting is present (decides TLS for endpoints without a scheme).
    public var hasTLSSettings: Bool {
        caFile != nil || certFile != nil || keyFile != nil || insecureSkipVerify
    }

    /// The endpoints, parsed. Throws ``EtcdClientError/invalidConfiguration(_:)`` for a malformed one.
    public func parsedEndpoints() throws -> [EtcdEndpoint] {
        guard !endpoints.isEmpty else { throw EtcdClientError.invalidConfiguration("no endpoints given") }
        if (certFile == nil) != (keyFile == nil) {
            throw EtcdClientError.invalidConfiguration("a client certificate needs both a certificate file and a key file")
        }
        return try endpoints.map { try EtcdEndpoint(parsing: $0, tlsByDefault: hasTLSSettings) }
    }
}

/// One parsed endpoint: host, port and whether it speaks TLS.
public struct EtcdEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The text as given (etcdctl prints endpoints this way).
    public var original: String
    public var host: String
    public var port: Int
    public var tls: Bool

    /// Parses `scheme://host:port`, `host:port` or `[v6]:port`; a missing port is 2379.
    public init(parsing text: String, tlsByDefault: Bool = false) throws {
        original = text
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if let range = rest.range(of: "://") {
            let scheme = rest[..<range.lowerBound].lowercased()
            switch scheme {
            case "http": tls = false
            case "https": tls = true
            default: throw EtcdClientError.invalidConfiguration("endpoint \(text): unsupported scheme \(scheme) (use http or https)")
            }
            rest = rest[range.upperBound...]
        } else {
            tls = tlsByDefault
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw EtcdClientError.invalidConfiguration("endpoint \(text): unterminated IPv6 address")
            }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            portText = rest[rest.index(after: colon)...]
        } else {
            host = String(rest)
        }
        guard !host.isEmpty else { throw EtcdClientError.invalidConfiguration("endpoint \(text): no host") }
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else {
                throw EtcdClientError.invalidConfiguration("endpoint \(text): bad port \(portText)")
            }
            port = p
        } else {
            port = 2379
        }
    }

    /// `scheme://host:port`.
    public var description: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(tls ? "https" : "http")://\(h):\(port)"
    }

    /// Whether the host is an IPv4 literal.
    var isIPv4: Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Whether the host is an IPv6 literal.
    var isIPv6: Bool { host.contains(":") }
}
