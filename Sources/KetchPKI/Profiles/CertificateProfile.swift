import Foundation

/// One certificate kubeadm makes, as described in `pki/kubeadm.json`.
public struct CertificateProfile: Sendable, Codable, Hashable {
    /// kubeadm's name: the phase (`etcd-server`) and the `certs check-expiration` row.
    public var name: String
    /// What kubeadm prints (`etcd/server`).
    public var baseName: String
    /// kubeadm's description, used by `certs renew` ("certificate for serving etcd renewed").
    public var longName: String
    /// Certificate path relative to the certificate directory.
    public var certFile: String
    /// Key path relative to the certificate directory.
    public var keyFile: String
    /// The signing CA's `name`; nil for a self-signed CA.
    public var signer: String?
    /// Subject CN; may hold placeholders.
    public var commonName: String
    /// Subject O entries; may hold placeholders.
    public var organizations: [String]
    /// basicConstraints CA:TRUE, plus keyCertSign.
    public var isCA: Bool
    /// Extended key usages.
    public var usages: [ExtendedKeyUsage]
    /// SAN DNS names; may hold placeholders.
    public var dnsNames: [String]
    /// SAN IP addresses; may hold placeholders.
    public var ipAddresses: [String]
    /// notAfter = issuance + this many days (kubeadm: 3650 for CAs, 365 otherwise).
    public var validityDays: Int

    /// The template for this certificate with placeholders filled from `parameters`, plus
    /// any extra SANs the parameters give for this certificate.
    public func template(
        with parameters: PKIParameters, now: Date, backdate: TimeInterval = CertificateTemplate.defaultBackdate
    ) throws -> CertificateTemplate {
        var dnsNames = try dnsNames.map(parameters.expand)
        var ipAddresses = try ipAddresses.map { text -> IPAddress in
            let expanded = try parameters.expand(text)
            guard let address = IPAddress(expanded) else {
                throw PKIError.invalidProfiles("\(name): \"\(expanded)\" is not an IP address")
            }
            return address
        }
        for extra in parameters.extraSANs[name] ?? [] {
            if let address = IPAddress(extra) { ipAddresses.append(address) } else { dnsNames.append(extra) }
        }
        return CertificateTemplate(
            subject: CertificateSubject(
                commonName: try parameters.expand(commonName), organizations: try organizations.map(parameters.expand)),
            isCA: isCA, usages: usages, dnsNames: dnsNames, ipAddresses: ipAddresses,
            validity: TimeInterval(validityDays) * 86400, now: now, backdate: backdate)
    }
}
