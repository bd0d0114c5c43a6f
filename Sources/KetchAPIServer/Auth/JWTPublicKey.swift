import Crypto
import _CryptoExtras
import Foundation
import struct KetchPKI.PEMBlock
import KubeCore
import X509

/// A public key that verifies service-account tokens, with the names kube gives it: its JWS
/// algorithm, its key ID and its JWK.
///
/// ECDSA keys are kept as their uncompressed point (`04‖x‖y`) and rebuilt per use, since
/// swift-crypto 3's P-curve key types are not `Sendable`.
enum JWTPublicKey: Sendable {
    case rsa(_RSA.Signing.PublicKey)
    case p256(Data)
    case p384(Data)
    case p521(Data)

    /// Every key in a PEM file, as kube-apiserver's `--service-account-key-file` reads it:
    /// "PUBLIC KEY" blocks (kubeadm's sa.pub), private keys (their public half) and
    /// certificates (their subject key). Throws on a block of those kinds that does not parse,
    /// or when the file holds no key at all, so a broken key file fails at startup.
    static func all(inPEM pem: String) throws -> [JWTPublicKey] {
        var keys: [JWTPublicKey] = []
        for block in PEMBlock.blocks(in: pem) {
            switch block.label {
            case "PUBLIC KEY", "RSA PUBLIC KEY":
                if let key = (try? _RSA.Signing.PublicKey(pemRepresentation: block.text)).map(JWTPublicKey.rsa)
                    ?? (try? P256.Signing.PublicKey(pemRepresentation: block.text)).map({ .p256($0.x963Representation) })
                    ?? (try? P384.Signing.PublicKey(pemRepresentation: block.text)).map({ .p384($0.x963Representation) })
                    ?? (try? P521.Signing.PublicKey(pemRepresentation: block.text)).map({ .p521($0.x963Representation) }) {
                    keys.append(key)
                } else {
                    throw ServiceAccountTokenError.invalidKey("unsupported public key in service account key PEM")
                }
            case "RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY":
                keys.append(try JWTSigningKey(pem: block.text).publicKey)
            case "CERTIFICATE":
                let certificate = try Certificate(pemEncoded: block.text)
                if let key = _RSA.Signing.PublicKey(certificate.publicKey) { keys.append(.rsa(key)) }
                else if let key = P256.Signing.PublicKey(certificate.publicKey) { keys.append(.p256(key.x963Representation)) }
                else if let key = P384.Signing.PublicKey(certificate.publicKey) { keys.append(.p384(key.x963Representation)) }
                else if let key = P521.Signing.PublicKey(certificate.publicKey) { keys.append(.p521(key.x963Representation)) }
                else { throw ServiceAccountTokenError.invalidKey("unsupported certificate key in service account key PEM") }
            default:
                continue
            }
        }
        guard !keys.isEmpty else { throw ServiceAccountTokenError.invalidKey("no public key in service account key PEM") }
        return keys
    }

    /// The JWS `alg` kube signs with for this key type.
    var algorithm: String {
        switch self {
        case .rsa: "RS256"
        case .p256: "ES256"
        case .p384: "ES384"
        case .p521: "ES512"
        }
    }

    /// The SubjectPublicKeyInfo DER, what Go's `x509.MarshalPKIXPublicKey` returns.
    var pkixDER: Data {
        switch self {
        case .rsa(let key): key.derRepresentation
        // Points were read from valid keys, so rebuilding cannot fail.
        case .p256(let point): try! P256.Signing.PublicKey(x963Representation: point).derRepresentation
        case .p384(let point): try! P384.Signing.PublicKey(x963Representation: point).derRepresentation
        case .p521(let point): try! P521.Signing.PublicKey(x963Representation: point).derRepresentation
        }
    }

    /// kube's key ID (`keyIDFromPublicKey`): unpadded base64url of SHA-256 over the PKIX DER.
    /// Tokens carry it as `kid`, the JWKS lists it, so relying parties pick the right key.
    var keyID: String {
        Base64URL.encode(Data(SHA256.hash(data: pkixDER)))
    }

    /// Whether `signature` is this key's JWS signature over `input` with algorithm `alg`.
    /// The header's `alg` must be the key's own: a token cannot choose a weaker check.
    func verify(_ signature: Data, over input: Data, alg: String) -> Bool {
        guard alg == algorithm else { return false }
        switch self {
        case .rsa(let key):
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: input,
                                        padding: .insecurePKCS1v1_5)
        case .p256(let point):
            guard let key = try? P256.Signing.PublicKey(x963Representation: point),
                  let s = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(s, for: input)
        case .p384(let point):
            guard let key = try? P384.Signing.PublicKey(x963Representation: point),
                  let s = try? P384.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(s, for: input)
        case .p521(let point):
            guard let key = try? P521.Signing.PublicKey(x963Representation: point),
                  let s = try? P521.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(s, for: input)
        }
    }

    /// The key as a JWK, as go-jose marshals it for kube's /openid/v1/jwks: `use`, `kty`,
    /// `kid`, `alg` and the key numbers (RSA `n`/`e`; EC `crv`/`x`/`y`, padded to the curve).
    var jwk: JSONValue {
        var fields: [String: JSONValue] = ["use": .string("sig"), "kid": .string(keyID), "alg": .string(algorithm)]
        switch self {
        case .rsa(let key):
            fields["kty"] = .string("RSA")
            if let primitives = try? key.getKeyPrimitives() {
                fields["n"] = .string(Base64URL.encode(primitives.modulus))
                fields["e"] = .string(Base64URL.encode(primitives.publicExponent))
            }
        case .p256(let point): Self.addEC(&fields, curve: "P-256", x963: point)
        case .p384(let point): Self.addEC(&fields, curve: "P-384", x963: point)
        case .p521(let point): Self.addEC(&fields, curve: "P-521", x963: point)
        }
        return .object(fields)
    }

    /// Splits an uncompressed point (`04‖x‖y`) into JWK coordinates.
    private static func addEC(_ fields: inout [String: JSONValue], curve: String, x963: Data) {
        let coordinates = x963.dropFirst()
        let half = coordinates.count / 2
        fields["kty"] = .string("EC")
        fields["crv"] = .string(curve)
        fields["x"] = .string(Base64URL.encode(coordinates.prefix(half)))
        fields["y"] = .string(Base64URL.encode(coordinates.suffix(half)))
    }
}
