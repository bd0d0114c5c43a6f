/// etcd's client TLS settings, as flags and as the config file's `client-transport-security` block.
/// (The peer side is accepted without effect: a single member has no peers.)
public struct TransportSecurityOptions: Sendable {
    /// `--cert-file`.
    public var certFile = ""
    /// `--key-file`.
    public var keyFile = ""
    /// `--trusted-ca-file`; empty when not given.
    public var trustedCAFile = ""
    /// `--client-cert-auth`.
    public var clientCertAuth = false
    /// `--auto-tls`: generate a self-signed certificate when none is given.
    public var autoTLS = false

    /// No TLS.
    public init() {}

    /// Whether certificate files are configured (either one named is enough for etcd to try).
    public var hasCertificateFiles: Bool { !certFile.isEmpty || !keyFile.isEmpty }
}
