import X509

/// The subject names authentication reads from a client certificate.
struct CertificateSubject: Sendable {
    /// The first common name.
    var commonName: String?
    /// Every organization, in order: Kubernetes groups.
    var organizations: [String]

    /// Parses a DER certificate; nil when it does not parse.
    init?(der: [UInt8]) {
        guard let certificate = try? Certificate(derEncoded: der) else { return nil }
        var cn: String?
        var orgs: [String] = []
        for rdn in certificate.subject {
            for attribute in rdn {
                if attribute.type == .RDNAttributeType.commonName, cn == nil {
                    cn = Self.text(attribute.value)
                } else if attribute.type == .RDNAttributeType.organizationName, let o = Self.text(attribute.value) {
                    orgs.append(o)
                }
            }
        }
        commonName = cn
        organizations = orgs
    }

    /// An attribute value as text.
    private static func text(_ value: some CustomStringConvertible) -> String? {
        String(describing: value)
    }
}
