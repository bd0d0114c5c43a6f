/// One step of making or renewing the PKI; `description` is the line kubeadm prints for it.
public enum PKIEvent: Sendable, Hashable, CustomStringConvertible {
    /// `[certs] Using certificateDir folder "…"`
    case usingCertificateDirectory(String)
    /// `[certs] Generating "apiserver" certificate and key` (CAs and leaves alike)
    case generatingCertificate(baseName: String)
    /// `[certs] apiserver serving cert is signed for DNS names [...] and IPs [...]`
    case servingCertificateNames(baseName: String, dnsNames: [String], ipAddresses: [String])
    /// `[certs] Using existing ca certificate authority`
    case usingExistingAuthority(baseName: String)
    /// `[certs] Using existing ca keyless certificate authority` (external CA: certificate without key)
    case usingExistingKeylessAuthority(baseName: String)
    /// `[certs] Using existing apiserver certificate and key on disk`
    case usingExistingCertificate(baseName: String)
    /// `[certs] Generating "sa" key and public key`
    case generatingKeyPair(baseName: String)
    /// `[certs] Using the existing "sa" key`
    case usingExistingKey(baseName: String)
    /// Ketch only: the public half was missing and is rewritten from the existing private key.
    case restoringPublicKey(baseName: String, file: String)
    /// `[certs] WARNING: …`
    case warning(String)
    /// `certs renew`: `certificate for serving the Kubernetes API renewed`
    case renewed(longName: String)
    /// `certs renew` of an absent certificate: `MISSING! certificate for serving the Kubernetes API`
    case missing(longName: String)
    /// `certs renew` under an external CA: `Detected external ca, … can't be renewed`
    case externallyManaged(authority: String, longName: String)

    /// The line kubeadm prints.
    public var description: String {
        switch self {
        case let .usingCertificateDirectory(path):
            "[certs] Using certificateDir folder \"\(path)\""
        case let .generatingCertificate(baseName):
            "[certs] Generating \"\(baseName)\" certificate and key"
        case let .servingCertificateNames(baseName, dnsNames, ipAddresses):
            "[certs] \(baseName) serving cert is signed for DNS names [\(dnsNames.joined(separator: " "))] "
                + "and IPs [\(ipAddresses.joined(separator: " "))]"
        case let .usingExistingAuthority(baseName):
            "[certs] Using existing \(baseName) certificate authority"
        case let .usingExistingKeylessAuthority(baseName):
            "[certs] Using existing \(baseName) keyless certificate authority"
        case let .usingExistingCertificate(baseName):
            "[certs] Using existing \(baseName) certificate and key on disk"
        case let .generatingKeyPair(baseName):
            "[certs] Generating \"\(baseName)\" key and public key"
        case let .usingExistingKey(baseName):
            "[certs] Using the existing \"\(baseName)\" key"
        case let .restoringPublicKey(baseName, file):
            "[certs] Writing the missing \(file) from the existing \"\(baseName)\" key"
        case let .warning(text):
            "[certs] WARNING: \(text)"
        case let .renewed(longName):
            "\(longName) renewed"
        case let .missing(longName):
            "MISSING! \(longName)"
        case let .externallyManaged(authority, longName):
            "Detected external \(authority), \(longName) can't be renewed"
        }
    }
}
