import Foundation

/// A certificate together with its private key.
public struct IssuedCertificate: Sendable {
    /// The certificate.
    public let certificate: Certificate
    /// Its private key.
    public let key: PrivateKey

    /// Pairs a certificate with its key (not checked; see `PrivateKey.matches`).
    public init(certificate: Certificate, key: PrivateKey) {
        self.certificate = certificate
        self.key = key
    }

    /// A self-signed end-entity certificate (CA:FALSE) for `key`, as Go's `x509.CreateCertificate`
    /// makes one with the template as its own parent; etcd's `--auto-tls` certificate is one.
    /// CAs come from `CertificateAuthority.selfSigned`.
    public static func selfSigned(_ template: CertificateTemplate, key: PrivateKey) throws -> IssuedCertificate {
        var template = template
        template.isCA = false
        return IssuedCertificate(certificate: try X509Builder.build(template, subjectKey: key, issuer: nil), key: key)
    }

    /// Certificate PEM, e.g. for a kubeconfig's `client-certificate-data`.
    public func certificatePEM() throws -> Data { try certificate.pemEncoded() }

    /// Key PEM in kubeadm's traditional format, e.g. for `client-key-data`.
    public func keyPEM() throws -> Data { try key.pemEncoded() }
}
