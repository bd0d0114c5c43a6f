import Foundation

/// `kubeadm certs renew`: re-issues certificates from their own content.
///
/// As kubeadm does, the new certificate keeps the old one's subject, SANs and usages, gets a
/// fresh validity and a NEW private key (kubeadm's `FileRenewer` calls `NewCertAndKey`), and
/// is signed by the CA currently on disk. CAs are never renewed.
public struct CertificateRenewer: Sendable {
    /// The certificate directory.
    public let directory: PKIDirectory
    /// The certificate set.
    public let profiles: PKIProfiles
    /// Key type for the new keys; nil keeps each certificate's current type.
    public let algorithm: KeyAlgorithm?

    /// - Parameters:
    ///   - algorithm: key type for the new keys; nil keeps each certificate's.
    ///   - profiles: the certificate set; kubeadm's by default.
    public init(certificateDirectory: String, algorithm: KeyAlgorithm? = nil, profiles: PKIProfiles? = nil) throws {
        self.directory = PKIDirectory(certificateDirectory)
        self.algorithm = algorithm
        self.profiles = try profiles ?? PKIProfiles.kubeadm()
    }

    /// What `certs renew NAME` accepts, sorted as kubeadm sorts them: certificate names
    /// (`apiserver`, `etcd-server`…) and renewable kubeconfig files (`admin.conf`…).
    public var renewableNames: [String] {
        (profiles.certificates.filter { !$0.isCA }.map(\.name)
            + profiles.kubeconfigClients.filter(\.renewable).map(\.fileName)).sorted()
    }

    /// Renews the certificate-directory certificate `name`, replacing its key and certificate files.
    ///
    /// Returns `.missing` when the certificate does not exist and `.externallyManaged` when
    /// its CA has no key, as kubeadm reports them.
    public func renew(_ name: String, now: Date = Date()) throws -> PKIEvent {
        guard let profile = profiles.certificate(named: name), !profile.isCA, let signerName = profile.signer,
              let signer = profiles.certificate(named: signerName)
        else {
            throw PKIError.unknownCertificate(name, known: profiles.certificates.filter { !$0.isCA }.map(\.name))
        }
        guard directory.exists(profile.certFile) else { return .missing(longName: profile.longName) }
        guard directory.exists(signer.certFile) else {
            throw PKIError.authorityNotFound(name: name, authority: directory.path(signer.certFile))
        }
        guard directory.exists(signer.keyFile) else {
            return .externallyManaged(authority: signer.name, longName: profile.longName)
        }
        let current = try directory.readCertificate(profile.certFile)
        let renewed = try reissue(current, signer: signer, validityDays: profile.validityDays, now: now)
        try directory.writeKey(renewed.key, to: profile.keyFile, replace: true)
        try directory.writeCertificate(renewed.certificate, to: profile.certFile, replace: true)
        return .renewed(longName: profile.longName)
    }

    /// Renews every certificate-directory certificate, in kubeadm's (alphabetical) order.
    /// Kubeconfig certificates are the caller's: see `renew(embedded:signer:validityDays:now:)`.
    @discardableResult
    public func renewAll(now: Date = Date(), report: (PKIEvent) -> Void = { _ in }) throws -> [PKIEvent] {
        var events: [PKIEvent] = []
        for name in profiles.certificates.filter({ !$0.isCA }).map(\.name).sorted() {
            let event = try renew(name, now: now)
            events.append(event)
            report(event)
        }
        return events
    }

    /// Re-issues a certificate held elsewhere (a kubeconfig's client certificate) with a new key,
    /// signed by the CA `signer` from the certificate directory.
    public func renew(
        embedded certificate: Certificate, signer: String = "ca", validityDays: Int = 365, now: Date = Date()
    ) throws -> IssuedCertificate {
        guard let profile = profiles.certificate(named: signer), profile.isCA else {
            throw PKIError.unknownCertificate(signer, known: profiles.certificates.filter(\.isCA).map(\.name))
        }
        guard directory.exists(profile.keyFile) else {
            throw PKIError.authorityKeyMissing(name: certificate.subject.commonName, key: directory.path(profile.keyFile))
        }
        return try reissue(certificate, signer: profile, validityDays: validityDays, now: now)
    }

    private func reissue(
        _ certificate: Certificate, signer: CertificateProfile, validityDays: Int, now: Date
    ) throws -> IssuedCertificate {
        let authority = try directory.readAuthority(signer)
        var template = CertificateTemplate.renewing(
            certificate, validity: TimeInterval(validityDays) * 86400, now: now,
            backdate: TimeInterval(profiles.backdateSeconds))
        template.isCA = false
        return try authority.issue(template, algorithm: algorithm ?? certificate.keyAlgorithm ?? .default)
    }
}
