import Foundation
import KubeCore

/// Mints service-account tokens as kube-apiserver's TokenRequest does: RS256 (or ES256 for an
/// ECDSA key) JWTs signed with `--service-account-signing-key-file`, carrying kube's claims.
public struct ServiceAccountTokenIssuer: Sendable {
    /// The `iss` claim: the first `--service-account-issuer`.
    public let issuer: String
    /// The header `kid`: kube's key ID of the signing key unless given explicitly.
    public let keyID: String
    let key: JWTSigningKey

    /// Loads the signing key (kubeadm's sa.key: PKCS#1 "RSA PRIVATE KEY"; PKCS#8 and EC keys
    /// work too). Throws when the PEM holds no usable private key.
    public init(signingKeyPEM: String, issuer: String, keyID: String? = nil) throws {
        self.key = try JWTSigningKey(pem: signingKeyPEM)
        self.issuer = issuer
        self.keyID = keyID ?? key.publicKey.keyID
    }

    /// Issues a token for a service account.
    ///
    /// - Parameters:
    ///   - audiences: the `aud` claim; kube-apiserver defaults it to its API audiences.
    ///   - expirationSeconds: lifetime from `now`.
    ///   - boundObject: the Pod, Secret or Node the token is bound to (`kind` is the object
    ///     kind; it becomes the lower-cased claim key).
    ///   - node: for pod-bound tokens, the pod's node (kube adds it since 1.30).
    ///   - warnAfter: for tokens kube extends beyond the requested lifetime, when clients
    ///     using them past that should be warned about.
    /// - Returns: the compact JWT and its expiry (whole seconds, as in the token).
    public func issue(namespace: String, serviceAccount: String, uid: String, audiences: [String],
                      expirationSeconds: Int, now: Date,
                      boundObject: (kind: String, name: String, uid: String)? = nil,
                      node: (name: String, uid: String)? = nil,
                      warnAfter: Date? = nil) throws -> (token: String, expiration: Date) {
        // Go's Time.Unix(): whole seconds, truncated.
        let issuedAt = Int(now.timeIntervalSince1970.rounded(.down))
        let expiry = issuedAt + expirationSeconds
        var kubernetes: [String: JSONValue] = [
            "namespace": .string(namespace),
            "serviceaccount": Self.reference(name: serviceAccount, uid: uid),
        ]
        if let boundObject {
            kubernetes[boundObject.kind.lowercased()] = Self.reference(name: boundObject.name, uid: boundObject.uid)
        }
        if let node, boundObject?.kind == "Pod" {
            kubernetes["node"] = Self.reference(name: node.name, uid: node.uid)
        }
        if let warnAfter {
            kubernetes["warnafter"] = .integer(Int(warnAfter.timeIntervalSince1970.rounded(.down)))
        }
        let claims: JSONValue = .object([
            "iss": .string(issuer),
            "sub": .string("system:serviceaccount:\(namespace):\(serviceAccount)"),
            // kube always writes an array, even for one audience.
            "aud": .array(audiences.map(JSONValue.string)),
            "iat": .integer(issuedAt),
            "nbf": .integer(issuedAt),
            "exp": .integer(expiry),
            "jti": .string(UUID().uuidString.lowercased()),
            "kubernetes.io": .object(kubernetes),
        ])
        do {
            let token = try CompactJWT.sign(claims: claims, with: key, keyID: keyID)
            return (token, Date(timeIntervalSince1970: TimeInterval(expiry)))
        } catch {
            throw ServiceAccountTokenError.signingFailed("\(error)")
        }
    }

    /// `{"name":…,"uid":…}`, leaving out empty fields as Go's `omitempty` does.
    private static func reference(name: String, uid: String) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        if !name.isEmpty { fields["name"] = .string(name) }
        if !uid.isEmpty { fields["uid"] = .string(uid) }
        return .object(fields)
    }
}
