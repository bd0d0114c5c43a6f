import COpenSSL

/// The extended key usages kubeadm's certificates carry.
public enum ExtendedKeyUsage: String, Sendable, Hashable, Codable, CaseIterable {
    case serverAuth
    case clientAuth

    /// The name in OpenSSL's extension syntax (same as the raw value).
    var opensslName: String { rawValue }

    /// The bit libcrypto reports in `X509_get_extended_key_usage`.
    var libcryptoFlag: UInt32 {
        switch self {
        case .serverAuth: UInt32(XKU_SSL_SERVER)
        case .clientAuth: UInt32(XKU_SSL_CLIENT)
        }
    }
}
