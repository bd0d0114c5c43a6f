import Foundation

/// What etcd 3.5 decides about client TLS at start, before any file is read: the certificate
/// files given, or with `--auto-tls` a self-signed certificate to make; https listeners require
/// one of them, http listeners ignore them (with a warning).
public struct ClientTLSPlan: Sendable {
    /// Where the listeners' certificate comes from.
    public enum Certificate: Sendable, Equatable {
        /// The files `--cert-file`, `--key-file` (and `--trusted-ca-file`, `--client-cert-auth`) name.
        case files(certFile: String, keyFile: String, trustedCAFile: String?, clientCertAuth: Bool)
        /// `--auto-tls`: a self-signed certificate in `directory` for `hosts`, valid `validityYears`,
        /// without a client-certificate check (etcd drops `--client-cert-auth` with it, having no CA).
        case selfSigned(directory: String, hosts: [String], validityYears: Int)
    }

    /// The certificate for TLS listeners; `nil` when none is configured (and none is needed).
    public let certificate: Certificate?
    /// Warnings to log once the certificate is in place, in etcd's order.
    public let notes: [EtcdLogNote]
    /// Whether any client listener serves TLS (etcd then logs the TLS settings it starts with).
    public let servesClientTLS: Bool

    /// - Parameters:
    ///   - listeners: the client listeners (https ones need a certificate; http ones get a warning
    ///     that it is ignored there, as in etcd).
    ///   - metricsListeners: `--listen-metrics-urls`; https ones use the client certificate.
    /// - Throws: ``TLSConfigurationError`` for an https listener without a certificate.
    public init(options: EtcdServerOptions, listeners: [ListenURL], metricsListeners: [ListenURL]) throws {
        let client = options.client
        var notes: [EtcdLogNote] = []
        var certificate: Certificate?
        if client.hasCertificateFiles {
            certificate = .files(
                certFile: client.certFile, keyFile: client.keyFile,
                trustedCAFile: client.trustedCAFile.isEmpty ? nil : client.trustedCAFile, clientCertAuth: client.clientCertAuth)
            if client.autoTLS {
                notes.append(EtcdLogNote(level: .warning, message: "ignoring client auto TLS since certs given"))
            }
        } else if client.autoTLS {
            certificate = .selfSigned(
                directory: (options.dataDirectory as NSString).appendingPathComponent("fixtures/client"),
                hosts: (listeners + metricsListeners).filter { !$0.isUnix }.map(\.host),
                validityYears: options.selfSignedCertValidity)
            if client.clientCertAuth || !client.trustedCAFile.isEmpty {
                notes.append(EtcdLogNote(
                    level: .warning, message: "client-cert-auth and trusted-ca-file have no effect with auto-tls (as in etcd)"))
            }
        }
        if certificate == nil, let listener = (listeners + metricsListeners).first(where: \.isTLS) {
            throw TLSConfigurationError(
                description: "TLS key/cert (--cert-file, --key-file) must be provided for client url \(listener) with HTTPS scheme")
        }
        if certificate != nil {
            for listener in listeners where !listener.isTLS {
                notes.append(EtcdLogNote(
                    level: .warning, message: "scheme is HTTP while key and cert files are present; ignoring key and cert files",
                    metadata: ["client-url": "\(listener)"]))
            }
        }
        self.certificate = certificate
        self.notes = notes
        servesClientTLS = certificate != nil && listeners.contains(where: \.isTLS)
    }
}

/// A TLS setup etcd would refuse to start with.
public struct TLSConfigurationError: Error, CustomStringConvertible {
    /// etcd's message.
    public var description: String
}
