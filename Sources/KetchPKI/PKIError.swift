import Foundation

/// Everything that can go wrong while making, loading or checking the cluster PKI.
///
/// Each case names the file involved and what is wrong with it, so a message alone tells
/// the user what to fix. Paths are the full paths on disk.
public enum PKIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read (missing, permissions, a directory…).
    case unreadable(path: String, reason: String)
    /// The file holds no PEM block of the expected kind.
    case notPEM(path: String, expected: String)
    /// The file is PEM, but of another kind (e.g. a key where a certificate belongs).
    case wrongPEMType(path: String, expected: String, found: [String])
    /// The PEM block is there but libcrypto cannot parse it.
    case invalidContent(path: String, reason: String)
    /// The private key is not the one the certificate (or public key file) was made for.
    case keyMismatch(certificate: String, key: String)
    /// One half of a pair exists without the other, e.g. after an interrupted run.
    case incomplete(present: String, missing: String)
    /// A certificate exists but the CA that must have signed it does not.
    case authorityMissing(certificate: String, authority: String)
    /// A certificate must be issued but its CA certificate does not exist.
    case authorityNotFound(name: String, authority: String)
    /// A certificate must be issued but its CA has no private key (external CA).
    case authorityKeyMissing(name: String, key: String)
    /// A certificate used as a CA is not one.
    case notAuthority(path: String)
    /// A certificate was not signed by the CA it belongs to.
    case notSignedBy(certificate: String, authority: String)
    /// An existing certificate is past its notAfter (or before its notBefore).
    case outsideValidity(path: String, notBefore: Date, notAfter: Date)
    /// A file that must not be overwritten already exists.
    case alreadyExists(path: String)
    /// Writing a file or creating a directory failed.
    case writeFailed(path: String, reason: String)
    /// An input (node name, address, CIDR, DNS domain, SAN, subject) does not parse.
    case invalidParameter(name: String, value: String, reason: String)
    /// The phase name is not one of the certs phases.
    case unknownPhase(String, known: [String])
    /// The certificate name is not one the profiles define.
    case unknownCertificate(String, known: [String])
    /// The certificate profiles (pki/*.json) are missing or inconsistent.
    case invalidProfiles(String)
    /// A libcrypto call failed; `detail` is libcrypto's error queue.
    case openssl(operation: String, detail: String)

    /// A one-line message naming the file and the problem.
    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason)"
        case let .notPEM(path, expected):
            return "\(path) is not PEM: expected a \(expected)"
        case let .wrongPEMType(path, expected, found):
            let blocks = found.map { "\"\($0)\"" }.joined(separator: ", ")
            return "\(path) holds PEM \(blocks), expected a \(expected)"
        case let .invalidContent(path, reason):
            return "\(path) cannot be parsed: \(reason)"
        case let .keyMismatch(certificate, key):
            return "private key \(key) does not match \(certificate)"
        case let .incomplete(present, missing):
            return "\(present) exists but \(missing) is missing (half-written state, e.g. an interrupted run); "
                + "restore \(missing) or remove \(present): existing keys and certificates are never overwritten"
        case let .authorityMissing(certificate, authority):
            return "\(certificate) exists but its certificate authority \(authority) is missing; "
                + "restore the CA or remove \(certificate)"
        case let .authorityNotFound(name, authority):
            return "cannot issue \"\(name)\": certificate authority \(authority) does not exist"
        case let .authorityKeyMissing(name, key):
            return "cannot issue \"\(name)\": CA key \(key) is missing (external CA: provide the certificate yourself)"
        case let .notAuthority(path):
            return "\(path) is not a certificate authority (basicConstraints CA:FALSE)"
        case let .notSignedBy(certificate, authority):
            return "\(certificate) is not signed by certificate authority \(authority)"
        case let .outsideValidity(path, notBefore, notAfter):
            return "\(path) is not valid now (notBefore \(notBefore), notAfter \(notAfter)); renew it"
        case let .alreadyExists(path):
            return "\(path) already exists; not overwriting it"
        case let .writeFailed(path, reason):
            return "cannot write \(path): \(reason)"
        case let .invalidParameter(name, value, reason):
            return "invalid \(name) \"\(value)\": \(reason)"
        case let .unknownPhase(name, known):
            return "unknown certs phase \"\(name)\"; known: \(known.joined(separator: ", "))"
        case let .unknownCertificate(name, known):
            return "unknown certificate \"\(name)\"; known: \(known.joined(separator: ", "))"
        case let .invalidProfiles(reason):
            return "invalid certificate profiles: \(reason)"
        case let .openssl(operation, detail):
            return "libcrypto \(operation) failed: \(detail)"
        }
    }
}
