import Crypto
import _CryptoExtras
import Foundation
import struct KetchPKI.PEMBlock

/// A private key that signs service-account tokens: RSA (RS256) or ECDSA P-256/P-384/P-521
/// (ES256/ES384/ES512), the key types kube-apiserver's `--service-account-signing-key-file`
/// takes. kubeadm writes RSA by default and P-256 with `encryptionAlgorithm: ECDSA-P256`.
///
/// ECDSA keys are kept as their raw scalar and rebuilt per use: swift-crypto 3's P-curve key
/// types are not `Sendable`, and rebuilding costs far less than signing.
enum JWTSigningKey: Sendable {
    case rsa(_RSA.Signing.PrivateKey)
    case p256(Data)
    case p384(Data)
    case p521(Data)

    /// Reads the first private key in a PEM file: "RSA PRIVATE KEY" (PKCS#1, what kubeadm
    /// writes), "EC PRIVATE KEY" (SEC 1) or "PRIVATE KEY" (PKCS#8).
    init(pem: String) throws {
        for block in PEMBlock.blocks(in: pem) where block.label.hasSuffix("PRIVATE KEY") {
            if let key = Self.parse(block) {
                self = key
                return
            }
        }
        throw ServiceAccountTokenError.invalidKey("no RSA or ECDSA private key in the signing key PEM")
    }

    private static func parse(_ block: PEMBlock) -> JWTSigningKey? {
        if block.label != "EC PRIVATE KEY", let key = try? _RSA.Signing.PrivateKey(pemRepresentation: block.text) {
            return .rsa(key)
        }
        if let key = try? P256.Signing.PrivateKey(pemRepresentation: block.text) { return .p256(key.rawRepresentation) }
        if let key = try? P384.Signing.PrivateKey(pemRepresentation: block.text) { return .p384(key.rawRepresentation) }
        if let key = try? P521.Signing.PrivateKey(pemRepresentation: block.text) { return .p521(key.rawRepresentation) }
        return nil
    }

    /// The public half, which names the key (`kid`) and verifies its tokens.
    var publicKey: JWTPublicKey {
        switch self {
        case .rsa(let key): .rsa(key.publicKey)
        // The raw scalars were read from valid keys, so rebuilding cannot fail.
        case .p256(let raw): .p256(try! P256.Signing.PrivateKey(rawRepresentation: raw).publicKey.x963Representation)
        case .p384(let raw): .p384(try! P384.Signing.PrivateKey(rawRepresentation: raw).publicKey.x963Representation)
        case .p521(let raw): .p521(try! P521.Signing.PrivateKey(rawRepresentation: raw).publicKey.x963Representation)
        }
    }

    /// The JWS signature over `input` (the `header.payload` text). RS256 is PKCS#1 v1.5 over
    /// SHA-256; ES* signatures are the raw `r‖s` concatenation JWS requires, not DER.
    func sign(_ input: Data) throws -> Data {
        switch self {
        case .rsa(let key): try key.signature(for: input, padding: .insecurePKCS1v1_5).rawRepresentation
        case .p256(let raw): try P256.Signing.PrivateKey(rawRepresentation: raw).signature(for: input).rawRepresentation
        case .p384(let raw): try P384.Signing.PrivateKey(rawRepresentation: raw).signature(for: input).rawRepresentation
        case .p521(let raw): try P521.Signing.PrivateKey(rawRepresentation: raw).signature(for: input).rawRepresentation
        }
    }
}
