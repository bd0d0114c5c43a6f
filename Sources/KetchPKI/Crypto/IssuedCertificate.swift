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

    /// Certificate PEM, e.g. for a kubeconfig's `client-certificate-data`.
    public func certificatePEM() throws -> Data { try certificate.pemEncoded() }

    /// Key PEM in kubeadm's traditional format, e.g. for `client-key-data`.
    public func keyPEM() throws -> Data { try key.pemEncoded() }
}
