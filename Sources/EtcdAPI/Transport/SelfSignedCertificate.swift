import Foundation
import KetchPKI

/// `--auto-tls`: the self-signed server certificate etcd's `transport.SelfCert` makes —
/// ECDSA P-521, subject `O=etcd`, the listen hosts as SANs, for server authentication — kept in
/// `<data-dir>/fixtures/client/{cert,key}.pem` and reused while both files exist. Made by
/// KetchPKI, the one X.509 stack for Ketch's own certificates.
public enum SelfSignedCertificate {
    /// Returns the TLS settings for the certificate in `directory`, creating it first if needed.
    ///
    /// - Parameters:
    ///   - hosts: hosts of the listen URLs (IP addresses become IP SANs, names DNS SANs).
    ///   - validityYears: `--self-signed-cert-validity`.
    /// - Returns: the settings and whether a new certificate was written.
    public static func ensure(directory: String, hosts: [String], validityYears: Int) throws -> (TLSServerSettings, created: Bool) {
        let files = PKIDirectory(directory)
        let settings = TLSServerSettings(certFile: files.path("cert.pem"), keyFile: files.path("key.pem"))
        // os.Stat in etcd, so a symlink counts by its target.
        if FileManager.default.fileExists(atPath: settings.certFile) && FileManager.default.fileExists(atPath: settings.keyFile) {
            return (settings, false)
        }
        // etcd's TouchDirAll: the directory is private, before any key lands in it.
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

        let now = Date()
        let names = Set(hosts).sorted()
        let template = CertificateTemplate(
            subject: CertificateSubject(commonName: "", organizations: ["etcd"]),
            usages: [.serverAuth],
            dnsNames: names.filter { IPAddress($0) == nil },
            ipAddresses: names.compactMap(IPAddress.init),
            notBefore: now,
            notAfter: now.addingTimeInterval(Double(max(validityYears, 1)) * 365 * 24 * 3600))
        let issued = try IssuedCertificate.selfSigned(template, key: try PrivateKey.generate(curve: .p521))
        // Either file may be left from an interrupted run; etcd truncates both, so replace.
        try files.writeCertificate(issued.certificate, to: "cert.pem", replace: true)
        try files.writeKey(issued.key, to: "key.pem", replace: true)
        return (settings, true)
    }
}
