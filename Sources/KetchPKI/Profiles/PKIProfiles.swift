import Foundation

/// The certificate set, loaded from data (`pki/kubeadm.json`) rather than written in code.
public struct PKIProfiles: Sendable, Codable, Hashable {
    /// notBefore is this far before issuance (kubeadm: 5 minutes).
    public var backdateSeconds: Int
    /// x509 pairs in kubeadm's phase order; a CA always precedes what it signs.
    public var certificates: [CertificateProfile]
    /// Bare key pairs (sa), made after the certificates.
    public var keyPairs: [KeyPairProfile]
    /// Identities for the kubeconfig files.
    public var kubeconfigClients: [KubeconfigClientProfile]

    /// kubeadm's set, from the module's `pki/kubeadm.json`.
    public static func kubeadm() throws -> PKIProfiles {
        guard let url = Bundle.module.url(forResource: "kubeadm", withExtension: "json", subdirectory: "pki") else {
            throw PKIError.invalidProfiles("pki/kubeadm.json is missing from the KetchPKI resources")
        }
        return try load(from: url)
    }

    /// Loads and validates a profiles file.
    public static func load(from url: URL) throws -> PKIProfiles {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PKIError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        return try PKIProfiles(jsonData: data)
    }

    /// Decodes and validates profiles JSON.
    public init(jsonData: Data) throws {
        do {
            self = try JSONDecoder().decode(PKIProfiles.self, from: jsonData)
        } catch let error as DecodingError {
            throw PKIError.invalidProfiles("JSON does not decode: \(error)")
        }
        try validate()
    }

    /// Phase names in kubeadm's order: every certificate, then the key pairs.
    public var phaseNames: [String] { certificates.map(\.name) + keyPairs.map(\.name) }

    /// The certificate profile called `name`.
    public func certificate(named name: String) -> CertificateProfile? {
        certificates.first { $0.name == name }
    }

    /// The certificates `authority` signs.
    public func certificates(signedBy authority: String) -> [CertificateProfile] {
        certificates.filter { $0.signer == authority }
    }

    /// Names must be unique, signers must be earlier CAs, and files must be distinct relative paths.
    private func validate() throws {
        var seenNames = Set<String>()
        var seenFiles = Set<String>()
        var authorities = Set<String>()
        for profile in certificates {
            guard seenNames.insert(profile.name).inserted else { throw PKIError.invalidProfiles("duplicate name \(profile.name)") }
            for file in [profile.certFile, profile.keyFile] {
                guard !file.isEmpty, !file.hasPrefix("/"), !file.split(separator: "/").contains("..") else {
                    throw PKIError.invalidProfiles("\(profile.name): \"\(file)\" must be a relative path inside the certificate directory")
                }
                guard seenFiles.insert(file).inserted else { throw PKIError.invalidProfiles("duplicate file \(file)") }
            }
            if let signer = profile.signer {
                guard authorities.contains(signer) else {
                    throw PKIError.invalidProfiles("\(profile.name) is signed by \(signer), which is not a CA listed before it")
                }
            } else if !profile.isCA {
                throw PKIError.invalidProfiles("\(profile.name) has no signer but is not a CA")
            }
            if profile.isCA { authorities.insert(profile.name) }
            guard profile.validityDays > 0 else { throw PKIError.invalidProfiles("\(profile.name): validityDays must be positive") }
        }
        for pair in keyPairs {
            guard seenNames.insert(pair.name).inserted else { throw PKIError.invalidProfiles("duplicate name \(pair.name)") }
        }
        for client in kubeconfigClients where !authorities.contains(client.signer) {
            throw PKIError.invalidProfiles("kubeconfig client \(client.name) is signed by unknown CA \(client.signer)")
        }
    }
}
