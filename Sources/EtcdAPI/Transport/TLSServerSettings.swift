import Foundation
import NIOSSL

/// How a listener secures its connections: etcd's `--cert-file`, `--key-file`,
/// `--trusted-ca-file` and `--client-cert-auth` (or the files `--auto-tls` generated).
public struct TLSServerSettings: Sendable, CustomStringConvertible {
    public var certFile: String
    public var keyFile: String
    public var trustedCAFile: String?
    public var clientCertAuth: Bool

    public init(certFile: String, keyFile: String, trustedCAFile: String? = nil, clientCertAuth: Bool = false) {
        self.certFile = certFile
        self.keyFile = keyFile
        self.trustedCAFile = trustedCAFile
        self.clientCertAuth = clientCertAuth
    }

    /// etcd 3.5 asks for and verifies a client certificate when either `--client-cert-auth` or
    /// `--trusted-ca-file` is given (Go's `RequireAndVerifyClientCert`).
    public var requiresClientCertificate: Bool { clientCertAuth || trustedCAFile != nil }

    /// A server context that accepts TLS 1.2 or newer only.
    ///
    /// - Parameter applicationProtocols: ALPN identifiers in server preference order. Client
    ///   listeners put `http/1.1` first so curl gets HTTP/1.1 while gRPC clients, which offer
    ///   only `h2`, still get HTTP/2.
    public func makeContext(applicationProtocols: [String]) throws -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certFile)
        } catch {
            throw TLSSetupError(file: certFile, what: "certificate", underlying: error)
        }
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw TLSSetupError(file: keyFile, what: "private key", underlying: error)
        }
        var config = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        config.minimumTLSVersion = .tlsv12
        config.applicationProtocols = applicationProtocols
        if requiresClientCertificate {
            // A client certificate is required and must chain to the trusted CA; hostnames are
            // not checked (clients are not named by DNS), as in etcd.
            config.certificateVerification = .noHostnameVerification
            if let trustedCAFile {
                do {
                    config.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(trustedCAFile))
                } catch {
                    throw TLSSetupError(file: trustedCAFile, what: "trusted CA certificate", underlying: error)
                }
            }
            config.sendCANameList = true
        }
        return try NIOSSLContext(configuration: config)
    }

    public var description: String {
        "cert = \(certFile), key = \(keyFile), trusted-ca = \(trustedCAFile ?? ""), client-cert-auth = \(clientCertAuth)"
    }
}

/// A TLS file that could not be read or parsed, named so the operator knows which one.
public struct TLSSetupError: Error, CustomStringConvertible {
    public var file: String
    public var what: String
    public var underlying: any Error

    public var description: String {
        // Name the cause as etcd (Go's os.Open) would when the file is simply not there.
        FileManager.default.isReadableFile(atPath: file)
            ? "cannot load \(what) from \(file): \(underlying)"
            : "open \(file): no such file or directory"
    }
}
