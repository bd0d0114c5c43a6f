import Foundation

/// A client identity kubeadm embeds in a kubeconfig file (admin.conf, kubelet.conf…).
public struct KubeconfigClientProfile: Sendable, Codable, Hashable {
    /// kubeadm's phase name (`admin`, `super-admin`, `kubelet`…).
    public var name: String
    /// The kubeconfig file name, which is also its `certs check-expiration` row.
    public var fileName: String
    /// kubeadm's description, used by `certs renew`.
    public var longName: String
    /// CN (the Kubernetes user); may hold placeholders (`system:node:{nodeName}`).
    public var commonName: String
    /// O entries (the Kubernetes groups).
    public var organizations: [String]
    /// The signing CA's `name`.
    public var signer: String
    /// Extended key usages (clientAuth).
    public var usages: [ExtendedKeyUsage]
    /// notAfter = issuance + this many days.
    public var validityDays: Int
    /// Whether `certs renew` handles it (kubeadm leaves kubelet.conf to the kubelet's rotation).
    public var renewable: Bool

    /// The client certificate template with placeholders filled.
    public func template(
        with parameters: PKIParameters, now: Date, backdate: TimeInterval = CertificateTemplate.defaultBackdate
    ) throws -> CertificateTemplate {
        CertificateTemplate(
            subject: CertificateSubject(
                commonName: try parameters.expand(commonName), organizations: try organizations.map(parameters.expand)),
            usages: usages, validity: TimeInterval(validityDays) * 86400, now: now, backdate: backdate)
    }
}
