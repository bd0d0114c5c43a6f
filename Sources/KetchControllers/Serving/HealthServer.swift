import Foundation
import Hummingbird
import HummingbirdTLS
import KetchPKI
import Logging
import NIOSSL
import Synchronization

/// The secure port kube-controller-manager (10257) and kube-scheduler (10259) serve: `/healthz`,
/// `/livez` and `/readyz` answer `ok` to anyone (upstream's `--authorization-always-allow-paths`);
/// other paths are refused as upstream refuses an anonymous caller.
///
/// Without `--tls-cert-file`, the serving certificate is self-signed and kept in memory, as
/// upstream makes one when no `--cert-dir` pair exists.
public struct HealthServer: Sendable {
    /// `--bind-address`.
    public var bindAddress: String
    /// `--secure-port`.
    public var port: Int
    /// `--tls-cert-file` and `--tls-private-key-file`, when given.
    public var certificateFiles: (cert: String, key: String)?
    /// Checks beyond "the process answers": name → healthy. `/readyz` and `/healthz` include them.
    public var checks: [String: @Sendable () -> Bool] = [:]
    let logger: Logger

    /// A server on `bindAddress:port`.
    public init(bindAddress: String, port: Int, certificateFiles: (cert: String, key: String)? = nil, logger: Logger) {
        self.bindAddress = bindAddress
        self.port = port
        self.certificateFiles = certificateFiles
        self.logger = logger
    }

    /// Serves until the task is cancelled.
    public func run() async throws {
        let router = Router()
        let checks = self.checks
        for path in ["/healthz", "/livez", "/readyz"] {
            router.get(RouterPath(path)) { request, _ -> Response in
                let failing = checks.filter { !$0.value() }.keys.sorted()
                let verbose = request.uri.queryParameters["verbose"] != nil
                var body = ""
                if verbose {
                    body = (["ping"] + checks.keys.sorted()).map { name in
                        failing.contains(name) ? "[-]\(name) failed: reason withheld\n" : "[+]\(name) ok\n"
                    }.joined()
                    body += failing.isEmpty ? "\(path.dropFirst()) check passed\n" : "\(path.dropFirst()) check failed\n"
                } else {
                    body = failing.isEmpty ? "ok" : failing.map { "[-]\($0) failed: reason withheld\n" }.joined()
                        + "\(path.dropFirst()) check failed\n"
                }
                return Response(status: failing.isEmpty ? .ok : .internalServerError,
                                headers: [.contentType: "text/plain; charset=utf-8", .init("X-Content-Type-Options")!: "nosniff"],
                                body: .init(byteBuffer: ByteBuffer(string: body)))
            }
        }
        let app = Application(
            router: router,
            server: try .tls(.http1(), tlsConfiguration: tlsConfiguration()),
            configuration: .init(address: .hostname(bindAddress, port: port), serverName: nil),
            onServerRunning: { [logger, bindAddress, port] _ in
                logger.info("Serving securely on \(bindAddress):\(port)")
            },
            logger: logger)
        try await app.run()
    }

    /// The serving pair: the files given, or a fresh self-signed one for localhost and the bind address.
    func tlsConfiguration() throws -> TLSConfiguration {
        let chain: [NIOSSLCertificateSource]
        let key: NIOSSLPrivateKeySource
        if let files = certificateFiles {
            chain = try NIOSSLCertificate.fromPEMFile(files.cert).map { .certificate($0) }
            key = .privateKey(try NIOSSLPrivateKey(file: files.key, format: .pem))
        } else {
            var hosts = ["localhost", "127.0.0.1"]
            if !["0.0.0.0", "::", ""].contains(bindAddress) { hosts.append(bindAddress) }
            let now = Date()
            let template = CertificateTemplate(
                subject: CertificateSubject(commonName: "localhost@\(Int(now.timeIntervalSince1970))"),
                usages: [.serverAuth],
                dnsNames: hosts.filter { IPAddress($0) == nil },
                ipAddresses: hosts.compactMap(IPAddress.init),
                notBefore: now.addingTimeInterval(-CertificateTemplate.defaultBackdate),
                notAfter: now.addingTimeInterval(CertificateTemplate.leafValidity))
            let issued = try IssuedCertificate.selfSigned(template, key: try PrivateKey.generate(curve: .p256))
            chain = try NIOSSLCertificate.fromPEMBytes(Array(issued.certificatePEM())).map { .certificate($0) }
            key = .privateKey(try NIOSSLPrivateKey(bytes: Array(issued.keyPEM()), format: .pem))
        }
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: key)
        tls.minimumTLSVersion = .tlsv12
        return tls
    }
}
