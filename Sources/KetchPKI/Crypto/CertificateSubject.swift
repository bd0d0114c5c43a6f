/// The parts of an X.509 distinguished name Kubernetes reads: CN is the user, O the groups.
public struct CertificateSubject: Sendable, Hashable, CustomStringConvertible {
    /// CN: the Kubernetes user name.
    public var commonName: String
    /// O entries: the Kubernetes groups.
    public var organizations: [String]

    /// A subject with `commonName` and `organizations`.
    public init(commonName: String, organizations: [String] = []) {
        self.commonName = commonName
        self.organizations = organizations
    }

    /// `O = a, O = b, CN = c`, in the order Go (and so kubeadm) encodes them; no CN part when
    /// the CN is empty, as `openssl x509 -subject` prints etcd's `O = etcd`.
    public var description: String {
        let cn = commonName.isEmpty ? [] : ["CN = \(commonName)"]
        return (organizations.map { "O = \($0)" } + cn).joined(separator: ", ")
    }
}
