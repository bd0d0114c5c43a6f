import Foundation

/// `kubeadm init phase certs`: makes whatever is missing in a certificate directory, in
/// kubeadm's order, and keeps what exists.
///
/// Existing CAs and keys are never overwritten: a re-run changes nothing, and a leaf
/// missing next to an existing CA is signed by that CA. Every existing file is checked
/// before anything is written, so a half-written or inconsistent directory fails with a
/// clear error and no change.
public struct PKIBuilder: Sendable {
    /// The certificate directory.
    public let directory: PKIDirectory
    /// Values for the profiles' placeholders.
    public let parameters: PKIParameters
    /// Key type of new keys.
    public let algorithm: KeyAlgorithm
    /// The certificate set.
    public let profiles: PKIProfiles

    /// - Parameters:
    ///   - certificateDirectory: kubeadm's `--cert-dir`.
    ///   - algorithm: key type for new keys (kubeadm's `encryptionAlgorithm`).
    ///   - profiles: the certificate set; kubeadm's by default.
    public init(
        certificateDirectory: String,
        parameters: PKIParameters,
        algorithm: KeyAlgorithm = .default,
        profiles: PKIProfiles? = nil
    ) throws {
        self.directory = PKIDirectory(certificateDirectory)
        self.parameters = parameters
        self.algorithm = algorithm
        self.profiles = try profiles ?? PKIProfiles.kubeadm()
    }

    /// `all` followed by every phase, in kubeadm's order.
    public var phaseNames: [String] { ["all"] + profiles.phaseNames }

    /// How many new keys `run(phase:)` would generate now (reads the directory, writes
    /// nothing), to size a `KeyPool` started early.
    public func keysNeeded(phase: String = "all", now: Date = Date()) throws -> Int {
        var plan = PKIPlan(builder: self, now: now)
        return try plan.survey(phase: phase).filter(\.needsKey).count
    }

    /// Runs one certs phase (`ca`, `apiserver`, `etcd-server`, `sa`…) or `all`.
    ///
    /// - Parameters:
    ///   - now: issuance time (tests pass a fixed one).
    ///   - keys: where new keys come from; by default a pool sized for this run. Its
    ///     algorithm must be the builder's.
    ///   - report: receives each step as it happens; the same events are returned.
    @discardableResult
    public func run(
        phase: String = "all", now: Date = Date(), keys: KeyPool? = nil, report: (PKIEvent) -> Void = { _ in }
    ) throws -> [PKIEvent] {
        if let keys, keys.algorithm != algorithm {
            throw PKIError.invalidParameter(
                name: "key pool", value: keys.algorithm.rawValue, reason: "the builder makes \(algorithm.rawValue) keys")
        }
        var plan = PKIPlan(builder: self, now: now)
        let steps = try plan.survey(phase: phase)
        var events: [PKIEvent] = []
        func emit(_ event: PKIEvent) {
            events.append(event)
            report(event)
        }
        if phase == "all" { emit(.usingCertificateDirectory(directory.path)) }

        let pool = keys ?? KeyPool(algorithm: algorithm, count: steps.filter(\.needsKey).count)
        var authorities = plan.loadedAuthorities

        for step in steps {
            step.warnings.forEach { emit(.warning($0)) }
            switch step.action {
            case let .reuseAuthority(profile):
                emit(.usingExistingAuthority(baseName: profile.baseName))
            case let .reuseKeylessAuthority(profile):
                emit(.usingExistingKeylessAuthority(baseName: profile.baseName))
            case let .reuseCertificate(profile):
                emit(.usingExistingCertificate(baseName: profile.baseName))
            case let .createAuthority(profile, template):
                emit(.generatingCertificate(baseName: profile.baseName))
                let key = try pool.take()
                let authority = try CertificateAuthority.selfSigned(template, key: key)
                try directory.writeKey(key, to: profile.keyFile)
                try directory.writeCertificate(authority.certificate, to: profile.certFile)
                authorities[profile.name] = authority
            case let .createCertificate(profile, template):
                emit(.generatingCertificate(baseName: profile.baseName))
                let key = try pool.take()
                guard let signer = profile.signer, let authority = authorities[signer] else {
                    throw PKIError.authorityNotFound(name: profile.name, authority: profile.signer ?? "?")
                }
                let certificate = try authority.issue(template, for: key)
                try directory.writeKey(key, to: profile.keyFile)
                try directory.writeCertificate(certificate, to: profile.certFile)
                if certificate.extendedKeyUsages.contains(.serverAuth) {
                    emit(.servingCertificateNames(
                        baseName: profile.baseName, dnsNames: certificate.dnsNames,
                        ipAddresses: certificate.ipAddresses.map(\.description)))
                }
            case let .reuseKeyPair(profile, restorePublicKeyFrom):
                emit(.usingExistingKey(baseName: profile.baseName))
                if let key = restorePublicKeyFrom {
                    try directory.writePublicKey(of: key, to: profile.publicKeyFile)
                    emit(.restoringPublicKey(baseName: profile.baseName, file: profile.publicKeyFile))
                }
            case let .createKeyPair(profile):
                emit(.generatingKeyPair(baseName: profile.baseName))
                let key = try pool.take()
                try directory.writeKey(key, to: profile.keyFile)
                try directory.writePublicKey(of: key, to: profile.publicKeyFile)
            }
        }
        return events
    }
}
