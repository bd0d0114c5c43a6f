import Foundation

/// What a certs run will do, decided by reading the directory before anything is written.
struct PKIPlan {
    enum Action {
        case reuseAuthority(CertificateProfile)
        case reuseKeylessAuthority(CertificateProfile)
        case createAuthority(CertificateProfile, CertificateTemplate)
        case reuseCertificate(CertificateProfile)
        case createCertificate(CertificateProfile, CertificateTemplate)
        /// The key is kept; a missing public key file is rewritten from it.
        case reuseKeyPair(KeyPairProfile, restorePublicKeyFrom: PrivateKey?)
        case createKeyPair(KeyPairProfile)
    }

    struct Step {
        var action: Action
        /// Printed before the step, as kubeadm warns before using an expired CA.
        var warnings: [String] = []

        var needsKey: Bool {
            switch action {
            case .createAuthority, .createCertificate, .createKeyPair: true
            default: false
            }
        }
    }

    /// A CA as found on disk or as this run will make it.
    private enum AuthorityState {
        case loaded(CertificateAuthority)
        case keyless(Certificate)
        case toCreate
        case absent
    }

    let builder: PKIBuilder
    let now: Date
    private var authorities: [String: AuthorityState] = [:]

    init(builder: PKIBuilder, now: Date) {
        self.builder = builder
        self.now = now
    }

    private var directory: PKIDirectory { builder.directory }
    private var profiles: PKIProfiles { builder.profiles }

    /// CAs read from disk while surveying, ready to sign.
    var loadedAuthorities: [String: CertificateAuthority] {
        authorities.compactMapValues { if case let .loaded(authority) = $0 { authority } else { nil } }
    }

    /// Checks every file the phase touches and decides each step; throws before any write.
    mutating func survey(phase: String) throws -> [Step] {
        let certificates: [CertificateProfile]
        let keyPairs: [KeyPairProfile]
        if phase == "all" {
            certificates = profiles.certificates
            keyPairs = profiles.keyPairs
        } else if let profile = profiles.certificate(named: phase) {
            certificates = [profile]
            keyPairs = []
        } else if let pair = profiles.keyPairs.first(where: { $0.name == phase }) {
            certificates = []
            keyPairs = [pair]
        } else {
            throw PKIError.unknownPhase(phase, known: builder.phaseNames)
        }
        var steps: [Step] = []
        for profile in certificates {
            steps.append(profile.isCA ? try surveyAuthority(profile) : try surveyLeaf(profile))
        }
        for pair in keyPairs {
            steps.append(try surveyKeyPair(pair))
        }
        return steps
    }

    private mutating func surveyAuthority(_ profile: CertificateProfile) throws -> Step {
        let state = try authorityOnDisk(profile)
        switch state {
        case let .loaded(authority):
            authorities[profile.name] = state
            return Step(action: .reuseAuthority(profile), warnings: boundsWarning(profile, authority.certificate))
        case let .keyless(certificate):
            authorities[profile.name] = state
            return Step(action: .reuseKeylessAuthority(profile), warnings: boundsWarning(profile, certificate))
        case .absent, .toCreate:
            // A new CA would orphan whatever the old one signed: refuse rather than leave certificates nothing verifies.
            for leaf in profiles.certificates(signedBy: profile.name) {
                for file in [leaf.certFile, leaf.keyFile] where directory.exists(file) {
                    throw PKIError.authorityMissing(certificate: directory.path(file), authority: directory.path(profile.certFile))
                }
            }
            authorities[profile.name] = .toCreate
            return Step(action: .createAuthority(profile, try template(profile)))
        }
    }

    private mutating func surveyLeaf(_ profile: CertificateProfile) throws -> Step {
        guard let signerName = profile.signer, let signer = profiles.certificate(named: signerName) else {
            throw PKIError.invalidProfiles("\(profile.name) has no known signer")
        }
        let authority = try authorityState(signer)
        let hasCert = directory.exists(profile.certFile)
        let hasKey = directory.exists(profile.keyFile)
        switch (hasCert, hasKey) {
        case (true, true):
            let pair = try directory.readPair(certFile: profile.certFile, keyFile: profile.keyFile)
            let certificatePath = directory.path(profile.certFile)
            let authorityCertificate: Certificate
            switch authority {
            case let .loaded(loaded): authorityCertificate = loaded.certificate
            case let .keyless(certificate): authorityCertificate = certificate
            case .absent, .toCreate:
                throw PKIError.authorityMissing(certificate: certificatePath, authority: directory.path(signer.certFile))
            }
            guard pair.certificate.isIssued(by: authorityCertificate) else {
                throw PKIError.notSignedBy(certificate: certificatePath, authority: directory.path(signer.certFile))
            }
            guard pair.certificate.isValid(at: now) else {
                throw PKIError.outsideValidity(
                    path: certificatePath, notBefore: pair.certificate.notBefore, notAfter: pair.certificate.notAfter)
            }
            return Step(action: .reuseCertificate(profile))
        case (true, false):
            throw PKIError.incomplete(present: directory.path(profile.certFile), missing: directory.path(profile.keyFile))
        case (false, true):
            throw PKIError.incomplete(present: directory.path(profile.keyFile), missing: directory.path(profile.certFile))
        case (false, false):
            switch authority {
            case .loaded, .toCreate:
                return Step(action: .createCertificate(profile, try template(profile)))
            case .keyless:
                throw PKIError.authorityKeyMissing(name: profile.name, key: directory.path(signer.keyFile))
            case .absent:
                throw PKIError.authorityNotFound(name: profile.name, authority: directory.path(signer.certFile))
            }
        }
    }

    private func surveyKeyPair(_ pair: KeyPairProfile) throws -> Step {
        let keyPath = directory.path(pair.keyFile)
        let publicPath = directory.path(pair.publicKeyFile)
        switch (directory.exists(pair.keyFile), directory.exists(pair.publicKeyFile)) {
        case (true, true):
            let key = try directory.readPrivateKey(pair.keyFile)
            let publicPEM: Data
            do {
                publicPEM = try Data(contentsOf: URL(fileURLWithPath: publicPath))
            } catch {
                throw PKIError.unreadable(path: publicPath, reason: error.localizedDescription)
            }
            guard PEMBlock.labels(in: publicPEM).contains("PUBLIC KEY") else {
                throw PKIError.notPEM(path: publicPath, expected: "public key")
            }
            guard key.matches(publicKeyPEM: publicPEM) else {
                throw PKIError.keyMismatch(certificate: publicPath, key: keyPath)
            }
            return Step(action: .reuseKeyPair(pair, restorePublicKeyFrom: nil))
        case (true, false):
            // The public half carries no secret and follows from the key: rewriting it loses nothing.
            return Step(action: .reuseKeyPair(pair, restorePublicKeyFrom: try directory.readPrivateKey(pair.keyFile)))
        case (false, true):
            throw PKIError.incomplete(present: publicPath, missing: keyPath)
        case (false, false):
            return Step(action: .createKeyPair(pair))
        }
    }

    /// The CA's state in this run: as surveyed earlier, or read from disk for a single-phase run.
    private mutating func authorityState(_ profile: CertificateProfile) throws -> AuthorityState {
        if let known = authorities[profile.name] { return known }
        let state = try authorityOnDisk(profile)
        authorities[profile.name] = state
        return state
    }

    private func authorityOnDisk(_ profile: CertificateProfile) throws -> AuthorityState {
        let certificatePath = directory.path(profile.certFile)
        switch (directory.exists(profile.certFile), directory.exists(profile.keyFile)) {
        case (true, true):
            return .loaded(try directory.readAuthority(profile))
        case (true, false):
            let certificate = try directory.readCertificate(profile.certFile)
            guard certificate.isCA else { throw PKIError.notAuthority(path: certificatePath) }
            return .keyless(certificate)
        case (false, true):
            throw PKIError.incomplete(present: directory.path(profile.keyFile), missing: certificatePath)
        case (false, false):
            return .absent
        }
    }

    /// Expanded while surveying so a bad placeholder or SAN fails before anything is written.
    private func template(_ profile: CertificateProfile) throws -> CertificateTemplate {
        try profile.template(with: builder.parameters, now: now, backdate: TimeInterval(profiles.backdateSeconds))
    }

    /// kubeadm's `CheckCertificatePeriodValidity` warning for an existing CA outside its validity.
    private func boundsWarning(_ profile: CertificateProfile, _ certificate: Certificate) -> [String] {
        guard !certificate.isValid(at: now) else { return [] }
        let state = now < certificate.notBefore ? "is not valid yet" : "has expired"
        return [
            "could not validate bounds for certificate \(profile.baseName): the certificate \(state): "
                + "NotBefore: \(certificate.notBefore), NotAfter: \(certificate.notAfter)"
        ]
    }
}
