import Foundation

/// A certificate directory (kubeadm's `/etc/kubernetes/pki`): paths, reads and writes.
public struct PKIDirectory: Sendable, Hashable {
    /// The directory's path.
    public let path: String

    /// A view of `path`; nothing is read or created until asked.
    public init(_ path: String) {
        self.path = path
    }

    /// Full path of `relative` (e.g. `etcd/ca.crt`).
    public func path(_ relative: String) -> String {
        (path as NSString).appendingPathComponent(relative)
    }

    /// Whether anything exists at `relative` (a dangling symlink counts: it must not be overwritten either).
    public func exists(_ relative: String) -> Bool {
        var status = stat()
        return lstat(path(relative), &status) == 0
    }

    /// Reads the certificate at `relative`.
    public func readCertificate(_ relative: String) throws -> Certificate {
        try Certificate(pem: try read(relative), source: path(relative))
    }

    /// Reads the private key at `relative`.
    public func readPrivateKey(_ relative: String) throws -> PrivateKey {
        try PrivateKey(pem: try read(relative), source: path(relative))
    }

    /// Reads a certificate and its key, checking that they belong together.
    public func readPair(certFile: String, keyFile: String) throws -> IssuedCertificate {
        let certificate = try readCertificate(certFile)
        let key = try readPrivateKey(keyFile)
        guard key.matches(certificate) else {
            throw PKIError.keyMismatch(certificate: path(certFile), key: path(keyFile))
        }
        return IssuedCertificate(certificate: certificate, key: key)
    }

    /// Loads the CA a profile describes (certificate and key).
    public func readAuthority(_ profile: CertificateProfile) throws -> CertificateAuthority {
        let pair = try readPair(certFile: profile.certFile, keyFile: profile.keyFile)
        return try CertificateAuthority(certificate: pair.certificate, key: pair.key, source: path(profile.certFile))
    }

    /// Writes a private key (mode 0600, kubeadm's `keyutil.WriteKey`).
    public func writeKey(_ key: PrivateKey, to relative: String, replace: Bool = false) throws {
        try AtomicFile.write(try key.pemEncoded(), to: path(relative), mode: 0o600, replace: replace)
    }

    /// Writes a public key. kubeadm writes sa.pub through `keyutil.WriteKey`, so 0600 as well.
    public func writePublicKey(of key: PrivateKey, to relative: String, replace: Bool = false) throws {
        try AtomicFile.write(try key.publicKeyPEM(), to: path(relative), mode: 0o600, replace: replace)
    }

    /// Writes a certificate (mode 0644, kubeadm's `certutil.WriteCert`).
    public func writeCertificate(_ certificate: Certificate, to relative: String, replace: Bool = false) throws {
        try AtomicFile.write(try certificate.pemEncoded(), to: path(relative), mode: 0o644, replace: replace)
    }

    private func read(_ relative: String) throws -> Data {
        let full = path(relative)
        do {
            return try Data(contentsOf: URL(fileURLWithPath: full))
        } catch {
            let reason = FileManager.default.fileExists(atPath: full) ? error.localizedDescription : "no such file"
            throw PKIError.unreadable(path: full, reason: reason)
        }
    }
}
