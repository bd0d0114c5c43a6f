/// The CA certificates the /registry seed publishes (PEM): kube-root-ca.crt, cluster-info and
/// extension-apiserver-authentication carry them.
public struct SeedCertificates: Sendable, Equatable {
    /// `pki/ca.crt`.
    public var caPEM: String
    /// `pki/front-proxy-ca.crt`.
    public var frontProxyCAPEM: String

    public init(caPEM: String, frontProxyCAPEM: String) {
        self.caPEM = caPEM
        self.frontProxyCAPEM = frontProxyCAPEM
    }
}
