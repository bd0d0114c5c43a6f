/// A bare key pair kubeadm makes (the service-account signing key `sa.key`/`sa.pub`).
public struct KeyPairProfile: Sendable, Codable, Hashable {
    /// kubeadm's phase name (`sa`).
    public var name: String
    /// What kubeadm prints (`sa`).
    public var baseName: String
    /// kubeadm's description of the pair.
    public var longName: String
    /// Private key path relative to the certificate directory.
    public var keyFile: String
    /// Public key path relative to the certificate directory.
    public var publicKeyFile: String
}
