import EtcdAPI
import EtcdServerConfig
import Foundation
import Logging

/// The client TLS `ketch etcd` starts with: ``ClientTLSPlan`` carried out, the certificate
/// files given or, with `--auto-tls`, a self-signed certificate made in the data directory.
struct ClientTLS: Sendable {
    /// Settings for https listeners, `nil` when no certificate is configured.
    let settings: TLSServerSettings?

    /// Decides as etcd does (see ``ClientTLSPlan``), makes the `--auto-tls` certificate if asked
    /// to, and logs etcd's warnings; throws for an https listener without a certificate.
    init(options: EtcdServerOptions, listeners: [ListenURL], metricsListeners: [ListenURL], logger: Logger) throws {
        let plan = try ClientTLSPlan(options: options, listeners: listeners, metricsListeners: metricsListeners)
        switch plan.certificate {
        case nil:
            settings = nil
        case .files(let certFile, let keyFile, let trustedCAFile, let clientCertAuth):
            settings = TLSServerSettings(
                certFile: certFile, keyFile: keyFile, trustedCAFile: trustedCAFile, clientCertAuth: clientCertAuth)
        case .selfSigned(let directory, let hosts, let validityYears):
            settings = try Self.generate(directory: directory, hosts: hosts, validityYears: validityYears, logger: logger)
        }
        for note in plan.notes { logger.log(note) }
        if plan.servesClientTLS, let settings {
            logger.info("starting with client TLS", metadata: ["tls-info": "\(settings)"])
        }
    }

    /// `--auto-tls`: the certificate in `directory`, made on first use as etcd makes it.
    private static func generate(directory: String, hosts: [String], validityYears: Int, logger: Logger) throws -> TLSServerSettings {
        let (settings, created) = try SelfSignedCertificate.ensure(directory: directory, hosts: hosts, validityYears: validityYears)
        if created {
            let notAfter = Date().addingTimeInterval(Double(max(validityYears, 1)) * 365 * 24 * 3600)
            logger.warning("automatically generate certificates", metadata: [
                "certificate-validity-bound-not-after": "\(notAfter.formatted(.iso8601))",
            ])
            logger.info("created cert file", metadata: ["path": "\(settings.certFile)"])
            logger.info("created key file", metadata: ["path": "\(settings.keyFile)"])
        }
        return settings
    }

    /// The certificate settings for `listener`, `nil` for plaintext listeners.
    func settings(for listener: ListenURL) -> TLSServerSettings? {
        listener.isTLS ? settings : nil
    }
}
