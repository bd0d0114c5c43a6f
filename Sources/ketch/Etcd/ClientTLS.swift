import EtcdAPI
import Foundation
import Logging

/// The client TLS etcd sets up at start: the certificate files given, or with `--auto-tls` a
/// generated self-signed one; https listeners require one of them, http listeners ignore them.
struct ClientTLS: Sendable {
    /// Settings for https listeners, `nil` when no certificate is configured.
    let settings: TLSServerSettings?

    /// - Parameters:
    ///   - listeners: the client listeners (https ones need a certificate; http ones get a warning
    ///     that it is ignored there, as in etcd).
    ///   - metricsListeners: `--listen-metrics-urls`; https ones use the client certificate.
    init(options: EtcdServerOptions, listeners: [ListenURL], metricsListeners: [ListenURL], logger: Logger) throws {
        var settings = options.client.settings
        if options.client.autoTLS {
            if settings != nil {
                logger.warning("ignoring client auto TLS since certs given")
            } else {
                settings = try Self.generate(options: options, listeners: listeners + metricsListeners, logger: logger)
            }
        }
        for listener in listeners + metricsListeners where listener.isTLS && settings == nil {
            throw TLSConfigurationError(
                description: "TLS key/cert (--cert-file, --key-file) must be provided for client url \(listener) with HTTPS scheme")
        }
        for listener in listeners where !listener.isTLS && settings != nil {
            logger.warning("scheme is HTTP while key and cert files are present; ignoring key and cert files",
                           metadata: ["client-url": "\(listener)"])
        }
        if let settings, listeners.contains(where: \.isTLS) {
            logger.info("starting with client TLS", metadata: ["tls-info": "\(settings)"])
        }
        self.settings = settings
    }

    /// `--auto-tls`: as etcd, a certificate for the listen hosts in `<data-dir>/fixtures/client`,
    /// and no client-certificate check (etcd drops `--client-cert-auth` with it, having no CA).
    private static func generate(options: EtcdServerOptions, listeners: [ListenURL], logger: Logger) throws -> TLSServerSettings {
        let directory = (options.dataDirectory as NSString).appendingPathComponent("fixtures/client")
        let (settings, created) = try SelfSignedCertificate.ensure(
            directory: directory, hosts: listeners.filter { !$0.isUnix }.map(\.host),
            validityYears: options.selfSignedCertValidity)
        if created {
            let notAfter = Date().addingTimeInterval(Double(max(options.selfSignedCertValidity, 1)) * 365 * 24 * 3600)
            logger.warning("automatically generate certificates", metadata: [
                "certificate-validity-bound-not-after": "\(notAfter.formatted(.iso8601))",
            ])
            logger.info("created cert file", metadata: ["path": "\(settings.certFile)"])
            logger.info("created key file", metadata: ["path": "\(settings.keyFile)"])
        }
        if options.client.clientCertAuth || !options.client.trustedCAFile.isEmpty {
            logger.warning("client-cert-auth and trusted-ca-file have no effect with auto-tls (as in etcd)")
        }
        return settings
    }

    /// The certificate settings for `listener`, `nil` for plaintext listeners.
    func settings(for listener: ListenURL) -> TLSServerSettings? {
        listener.isTLS ? settings : nil
    }
}

/// A TLS setup etcd would refuse to start with.
struct TLSConfigurationError: Error, CustomStringConvertible {
    var description: String
}
