import NIOSSL

extension KubeConfig {
    /// The client TLS settings the kubeconfig asks for: TLS 1.2 or later, the server verified
    /// against its CA (or the system roots when it names none), the client certificate if any.
    /// - Throws: ``KubeConfigError`` when a PEM does not parse.
    public func tlsConfiguration() throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else if let certificateAuthorityPEM {
            let roots = try parse("certificate-authority") { try NIOSSLCertificate.fromPEMBytes(Array(certificateAuthorityPEM)) }
            guard !roots.isEmpty else { throw KubeConfigError("\(source): certificate-authority holds no PEM certificate") }
            tls.trustRoots = .certificates(roots)
        }
        if let clientCertificatePEM, let clientKeyPEM {
            let chain = try parse("client-certificate") { try NIOSSLCertificate.fromPEMBytes(Array(clientCertificatePEM)) }
            guard !chain.isEmpty else { throw KubeConfigError("\(source): client-certificate holds no PEM certificate") }
            tls.certificateChain = chain.map { .certificate($0) }
            tls.privateKey = .privateKey(try parse("client-key") { try NIOSSLPrivateKey(bytes: Array(clientKeyPEM), format: .pem) })
        }
        return tls
    }

    private func parse<T>(_ field: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw KubeConfigError("\(source): \(field): not a valid PEM: \(error)")
        }
    }
}
