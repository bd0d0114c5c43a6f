import Crypto
import Foundation
import SwiftASN1
import X509

/// `--auto-tls`: the self-signed server certificate etcd's `transport.SelfCert` makes —
/// ECDSA P-521, subject `O=etcd`, the listen hosts as SANs, for server authentication — kept in
/// `<data-dir>/fixtures/client/{cert,key}.pem` and reused while both files exist.
public enum SelfSignedCertificate {
    /// Returns the TLS settings for the certificate in `directory`, creating it first if needed.
    ///
    /// - Parameters:
    ///   - hosts: hosts of the listen URLs (IP addresses become IP SANs, names DNS SANs).
    ///   - validityYears: `--self-signed-cert-validity`.
    /// - Returns: the settings and whether a new certificate was written.
    public static func ensure(directory: String, hosts: [String], validityYears: Int) throws -> (TLSServerSettings, created: Bool) {
        let certPath = (directory as NSString).appendingPathComponent("cert.pem")
        let keyPath = (directory as NSString).appendingPathComponent("key.pem")
        let settings = TLSServerSettings(certFile: certPath, keyFile: keyPath)
        let files = FileManager.default
        if files.fileExists(atPath: certPath) && files.fileExists(atPath: keyPath) {
            return (settings, false)
        }
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

        let key = P521.Signing.PrivateKey()
        let privateKey = Certificate.PrivateKey(key)
        let now = Date()
        let name = try DistinguishedName { OrganizationName("etcd") }
        var sans: [GeneralName] = []
        for host in Set(hosts).sorted() {
            if let ip = ipAddressBytes(host) { sans.append(.ipAddress(ASN1OctetString(contentBytes: ip[...]))) }
            else { sans.append(.dnsName(host)) }
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: privateKey.publicKey,
            notValidBefore: now,
            notValidAfter: now.addingTimeInterval(Double(max(validityYears, 1)) * 365 * 24 * 3600),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA512,
            extensions: try Certificate.Extensions {
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth])
                Critical(BasicConstraints.notCertificateAuthority)
                SubjectAlternativeNames(sans)
            },
            issuerPrivateKey: privateKey)

        try certificate.serializeAsPEM().pemString.write(toFile: certPath, atomically: true, encoding: .utf8)
        try key.pemRepresentation.write(toFile: keyPath, atomically: true, encoding: .utf8)
        try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        return (settings, true)
    }

    /// The 4 or 16 bytes of an IP literal, `nil` for a host name.
    private static func ipAddressBytes(_ host: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
