/// The key types kubeadm offers (`ClusterConfiguration.encryptionAlgorithm`), with its names.
public enum KeyAlgorithm: String, Sendable, CaseIterable, Codable {
    case rsa2048 = "RSA-2048"
    case rsa3072 = "RSA-3072"
    case rsa4096 = "RSA-4096"
    case ecdsaP256 = "ECDSA-P256"

    /// kubeadm's default.
    public static let `default`: KeyAlgorithm = .rsa2048

    /// RSA modulus size, or nil for ECDSA.
    var rsaBits: Int32? {
        switch self {
        case .rsa2048: 2048
        case .rsa3072: 3072
        case .rsa4096: 4096
        case .ecdsaP256: nil
        }
    }
}
