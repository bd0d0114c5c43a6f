import COpenSSL
import Foundation

/// A private key (RSA or ECDSA) held by libcrypto.
///
/// Immutable after creation; libcrypto allows concurrent use of one `EVP_PKEY` for
/// signing and encoding, hence `@unchecked Sendable`.
public final class PrivateKey: @unchecked Sendable {
    /// The owned `EVP_PKEY`, freed in `deinit`.
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Generates a fresh key.
    public static func generate(_ algorithm: KeyAlgorithm = .default) throws -> PrivateKey {
        guard let bits = algorithm.rsaBits else { return try generate(curve: .p256) }
        return try generate(type: "RSA", name: algorithm.rawValue) { context in
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, bits) > 0 else {
                throw LibCrypto.failure("EVP_PKEY_CTX_set_rsa_keygen_bits")
            }
        }
    }

    /// Generates a fresh ECDSA key on `curve`, including curves kubeadm does not offer.
    public static func generate(curve: EllipticCurve) throws -> PrivateKey {
        try generate(type: "EC", name: "ECDSA-\(curve.rawValue.filter { $0 != "-" })") { context in
            guard EVP_PKEY_CTX_set_group_name(context, curve.rawValue) > 0 else {
                throw LibCrypto.failure("EVP_PKEY_CTX_set_group_name")
            }
        }
    }

    /// Runs libcrypto's key generation for `type` ("RSA", "EC"), with `configure` setting its size.
    private static func generate(
        type: String, name: String, configure: (OpaquePointer) throws -> Void
    ) throws -> PrivateKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else {
            throw LibCrypto.failure("EVP_PKEY_CTX_new_from_name(\(type))")
        }
        defer { EVP_PKEY_CTX_free(context) }
        try LibCrypto.check(EVP_PKEY_keygen_init(context), "EVP_PKEY_keygen_init")
        try configure(context)
        var key: OpaquePointer?
        guard EVP_PKEY_generate(context, &key) == 1, let key else {
            throw LibCrypto.failure("EVP_PKEY_generate(\(name))")
        }
        return PrivateKey(taking: key)
    }

    /// Parses a PEM private key: PKCS#8 ("PRIVATE KEY") or traditional ("RSA PRIVATE KEY",
    /// "EC PRIVATE KEY"). Only RSA and ECDSA keys are accepted, as in kubeadm.
    ///
    /// - Parameter source: where the bytes came from, for error messages.
    public convenience init(pem: Data, source: String = "private key") throws {
        let labels = PEMBlock.labels(in: pem)
        let keyLabels: Set = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"]
        guard !labels.isEmpty else { throw PKIError.notPEM(path: source, expected: "private key") }
        if labels.contains("ENCRYPTED PRIVATE KEY") {
            throw PKIError.invalidContent(path: source, reason: "encrypted private keys are not supported")
        }
        guard labels.contains(where: keyLabels.contains) else {
            throw PKIError.wrongPEMType(path: source, expected: "private key", found: labels)
        }
        let parsed = try MemoryBIO.reading(pem) { bio in
            // A callback that refuses passphrases: the default one would prompt on the terminal.
            PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in -1 }, nil)
        }
        guard let parsed else {
            throw PKIError.invalidContent(path: source, reason: LibCrypto.drainErrors())
        }
        let type = EVP_PKEY_get_base_id(parsed)
        guard type == EVP_PKEY_RSA || type == EVP_PKEY_EC else {
            EVP_PKEY_free(parsed)
            throw PKIError.invalidContent(path: source, reason: "the private key is neither RSA nor ECDSA")
        }
        self.init(taking: parsed)
    }

    /// The algorithm, or nil for a key size kubeadm does not offer (e.g. RSA-1024).
    public var algorithm: KeyAlgorithm? {
        let bits = EVP_PKEY_get_bits(pointer)
        if EVP_PKEY_get_base_id(pointer) == EVP_PKEY_EC {
            return bits == 256 ? .ecdsaP256 : nil
        }
        return KeyAlgorithm.allCases.first { $0.rsaBits == bits }
    }

    /// The digest Go's `x509.CreateCertificate` signs with for this key: SHA-512 for P-521,
    /// SHA-384 for P-384, SHA-256 for P-256 and RSA (so kubeadm's certificates keep sha256).
    var signatureDigest: OpaquePointer {
        guard EVP_PKEY_get_base_id(pointer) == EVP_PKEY_EC else { return EVP_sha256() }
        switch EVP_PKEY_get_bits(pointer) {
        case 521: return EVP_sha512()
        case 384: return EVP_sha384()
        default: return EVP_sha256()
        }
    }

    /// The key as PEM in the traditional format kubeadm writes: "RSA PRIVATE KEY" (PKCS#1)
    /// or "EC PRIVATE KEY" (SEC 1).
    public func pemEncoded() throws -> Data {
        try MemoryBIO.writing("PEM_write_bio_PrivateKey_traditional") { bio in
            PEM_write_bio_PrivateKey_traditional(bio, pointer, nil, nil, 0, nil, nil)
        }
    }

    /// The public half as PEM "PUBLIC KEY" (SubjectPublicKeyInfo), as kubeadm writes sa.pub.
    public func publicKeyPEM() throws -> Data {
        try MemoryBIO.writing("PEM_write_bio_PUBKEY") { bio in
            PEM_write_bio_PUBKEY(bio, pointer)
        }
    }

    /// Whether this is the private key for `certificate`'s public key.
    public func matches(_ certificate: Certificate) -> Bool {
        guard let certificateKey = X509_get0_pubkey(certificate.pointer) else {
            LibCrypto.clearErrors()
            return false
        }
        let equal = EVP_PKEY_eq(certificateKey, pointer) == 1
        LibCrypto.clearErrors()
        return equal
    }

    /// Whether `publicKeyPEM` (a "PUBLIC KEY" block) is this key's public half.
    public func matches(publicKeyPEM: Data) -> Bool {
        let parsed = try? MemoryBIO.reading(publicKeyPEM) { bio in
            PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let parsed else {
            LibCrypto.clearErrors()
            return false
        }
        defer { EVP_PKEY_free(parsed) }
        let equal = EVP_PKEY_eq(parsed, pointer) == 1
        LibCrypto.clearErrors()
        return equal
    }
}
