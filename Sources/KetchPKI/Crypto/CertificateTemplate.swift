import Foundation

/// What to put in a certificate: subject, CA flag, usages, SANs and validity.
///
/// Key usage is not configurable: kubeadm always sets digitalSignature and keyEncipherment,
/// plus keyCertSign for CAs.
public struct CertificateTemplate: Sendable, Hashable {
    /// CN and O.
    public var subject: CertificateSubject
    /// basicConstraints CA:TRUE, plus keyCertSign.
    public var isCA: Bool
    /// Extended key usages (none for CAs).
    public var usages: [ExtendedKeyUsage]
    /// SAN DNS names.
    public var dnsNames: [String]
    /// SAN IP addresses.
    public var ipAddresses: [IPAddress]
    /// Start of validity.
    public var notBefore: Date
    /// End of validity.
    public var notAfter: Date

    /// A template with explicit validity bounds.
    public init(
        subject: CertificateSubject,
        isCA: Bool = false,
        usages: [ExtendedKeyUsage] = [],
        dnsNames: [String] = [],
        ipAddresses: [IPAddress] = [],
        notBefore: Date,
        notAfter: Date
    ) {
        self.subject = subject
        self.isCA = isCA
        self.usages = usages
        self.dnsNames = dnsNames
        self.ipAddresses = ipAddresses
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// kubeadm's validity: from `backdate` before `now` (tolerates small clock steps between
    /// machines) until `validity` after `now`.
    public init(
        subject: CertificateSubject,
        isCA: Bool = false,
        usages: [ExtendedKeyUsage] = [],
        dnsNames: [String] = [],
        ipAddresses: [IPAddress] = [],
        validity: TimeInterval,
        now: Date = Date(),
        backdate: TimeInterval = CertificateTemplate.defaultBackdate
    ) {
        self.init(
            subject: subject, isCA: isCA, usages: usages, dnsNames: dnsNames, ipAddresses: ipAddresses,
            notBefore: now.addingTimeInterval(-backdate), notAfter: now.addingTimeInterval(validity))
    }

    /// kubeadm's `CertificateBackdate`.
    public static let defaultBackdate: TimeInterval = 5 * 60
    /// kubeadm's `CertificateValidityPeriod` (leaves).
    public static let leafValidity: TimeInterval = 365 * 86400
    /// kubeadm's `CACertificateValidityPeriod`.
    public static let authorityValidity: TimeInterval = 10 * 365 * 86400

    /// kubeadm's `RemoveDuplicateAltNames`: DNS names sorted and de-duplicated, IPs
    /// de-duplicated in order.
    public var normalized: CertificateTemplate {
        var copy = self
        copy.dnsNames = Array(Set(dnsNames)).sorted()
        var seen = Set<IPAddress>()
        copy.ipAddresses = ipAddresses.filter { seen.insert($0).inserted }
        return copy
    }

    /// The template that re-issues `certificate` as kubeadm's `certs renew` does: same subject,
    /// SANs and usages, fresh validity.
    public static func renewing(
        _ certificate: Certificate, validity: TimeInterval, now: Date = Date(),
        backdate: TimeInterval = CertificateTemplate.defaultBackdate
    ) -> CertificateTemplate {
        CertificateTemplate(
            subject: certificate.subject, isCA: certificate.isCA, usages: certificate.extendedKeyUsages,
            dnsNames: certificate.dnsNames, ipAddresses: certificate.ipAddresses,
            validity: validity, now: now, backdate: backdate)
    }
}
