import Foundation

/// A CA certificate with its private key: what signs the cluster's certificates.
public struct CertificateAuthority: Sendable {
    /// The CA certificate.
    public let certificate: Certificate
    /// The CA's signing key.
    public let key: PrivateKey

    /// Pairs a loaded certificate and key, checking that the certificate is a CA and the key is its own.
    ///
    /// - Parameter source: names the pair in errors (e.g. the certificate path).
    public init(certificate: Certificate, key: PrivateKey, source: String = "CA") throws {
        guard certificate.isCA else { throw PKIError.notAuthority(path: source) }
        guard key.matches(certificate) else { throw PKIError.keyMismatch(certificate: source, key: source) }
        self.certificate = certificate
        self.key = key
    }

    private init(trusted certificate: Certificate, key: PrivateKey) {
        self.certificate = certificate
        self.key = key
    }

    /// Creates a self-signed CA for `key` (`template.isCA` is forced on).
    public static func selfSigned(_ template: CertificateTemplate, key: PrivateKey) throws -> CertificateAuthority {
        var template = template
        template.isCA = true
        let certificate = try X509Builder.build(template, subjectKey: key, issuer: nil)
        return CertificateAuthority(trusted: certificate, key: key)
    }

    /// Issues a certificate for `subjectKey`, signed by this CA.
    public func issue(_ template: CertificateTemplate, for subjectKey: PrivateKey) throws -> Certificate {
        try X509Builder.build(template, subjectKey: subjectKey, issuer: self)
    }

    /// Issues a certificate with a freshly generated key.
    public func issue(_ template: CertificateTemplate, algorithm: KeyAlgorithm = .default) throws -> IssuedCertificate {
        let key = try PrivateKey.generate(algorithm)
        return IssuedCertificate(certificate: try issue(template, for: key), key: key)
    }

    /// Issues several certificates, generating their keys in parallel (or taking them from
    /// `keys`); results keep the order of `templates`.
    public func issue(
        _ templates: [CertificateTemplate], algorithm: KeyAlgorithm = .default, keys: KeyPool? = nil
    ) throws -> [IssuedCertificate] {
        let pool = keys ?? KeyPool(algorithm: algorithm, count: templates.count)
        return try templates.map { template in
            let key = try pool.take()
            return IssuedCertificate(certificate: try issue(template, for: key), key: key)
        }
    }

    /// A client certificate (clientAuth) for a kubeconfig: CN is the user, O the groups.
    public func issueClientCertificate(
        commonName: String,
        organizations: [String] = [],
        validity: TimeInterval = CertificateTemplate.leafValidity,
        algorithm: KeyAlgorithm = .default,
        now: Date = Date()
    ) throws -> IssuedCertificate {
        let template = CertificateTemplate(
            subject: CertificateSubject(commonName: commonName, organizations: organizations),
            usages: [.clientAuth], validity: validity, now: now)
        return try issue(template, algorithm: algorithm)
    }
}
