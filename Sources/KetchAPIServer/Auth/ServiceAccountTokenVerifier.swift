import Foundation
import KubeCore

/// Authenticates service-account tokens as kube-apiserver's service-account token
/// authenticators do: bound tokens from `issuers` (TokenRequest, projected volumes) and
/// legacy Secret-based tokens (issuer `kubernetes/serviceaccount`).
///
/// Checks are the token's own: signature against the `--service-account-key-file` keys, the
/// issuer, audiences, and expiry/not-before/issued-at with go-jose's one-minute leeway. kube
/// additionally looks up the account (and bound object or legacy Secret) and compares UIDs;
/// callers that hold the objects do that with `verifiedClaims(_:now:)`.
public struct ServiceAccountTokenVerifier: Sendable {
    /// The issuer of Secret-based tokens from before TokenRequest.
    public static let legacyIssuer = "kubernetes/serviceaccount"
    /// Clock skew tolerated on `exp`, `nbf` and `iat` (go-jose's `DefaultLeeway`).
    static let leeway: TimeInterval = 60

    let keys: [JWTPublicKey]
    /// Accepted `iss` values for bound tokens (`--service-account-issuer`, all of them).
    public let issuers: [String]
    /// The API audiences (`--api-audiences`, by default the first issuer); a token must name
    /// one of them unless it names no audience at all.
    public let audiences: [String]

    /// Loads the verification keys: each PEM (a file's content) may hold public keys,
    /// private keys and certificates. Throws when a PEM holds no usable key.
    public init(publicKeyPEMs: [String], issuers: [String], audiences: [String]) throws {
        var keys: [JWTPublicKey] = []
        for pem in publicKeyPEMs { keys += try JWTPublicKey.all(inPEM: pem) }
        self.keys = keys
        self.issuers = issuers
        self.audiences = audiences
    }

    /// The user a token authenticates, or nil when it is not a valid service-account token.
    public func verify(_ token: String, now: Date) -> UserInfo? {
        verifiedClaims(token, now: now)?.user
    }

    /// The claims of a valid token, or nil: not a JWT, unknown issuer, bad signature, wrong
    /// audience, outside its validity period, or missing the service-account claims.
    public func verifiedClaims(_ token: String, now: Date) -> ServiceAccountTokenClaims? {
        guard let jwt = CompactJWT(token),
              let issuer = jwt.claims["iss"]?.string,
              issuer == Self.legacyIssuer || issuers.contains(issuer),
              let alg = jwt.header["alg"]?.string
        else { return nil }

        // Keys named by `kid` first; a token without a known kid may still be signed by any key
        // (tokens from before kube put kid in the header).
        let kid = jwt.header["kid"]?.string
        let named = keys.filter { kid != nil && $0.keyID == kid }
        let candidates = named.isEmpty ? keys : named
        guard candidates.contains(where: { $0.verify(jwt.signature, over: jwt.signingInput, alg: alg) }) else {
            return nil
        }

        guard audienceAccepted(jwt.claims["aud"]), timeValid(jwt.claims, now: now) else { return nil }
        return issuer == Self.legacyIssuer ? Self.legacyClaims(jwt.claims) : Self.boundClaims(jwt.claims)
    }

    /// kube's audience rule: a token without `aud` counts as carrying the API audiences;
    /// otherwise it must share one with them (any audience passes when none are configured).
    func audienceAccepted(_ aud: JSONValue?) -> Bool {
        let tokenAudiences: [String]
        switch aud {
        case nil, .null?: tokenAudiences = []
        case .string(let one)?: tokenAudiences = [one]
        case .array(let many)?: tokenAudiences = many.compactMap(\.string)
        default: return false
        }
        if tokenAudiences.isEmpty || audiences.isEmpty { return true }
        return tokenAudiences.contains(where: audiences.contains)
    }

    /// go-jose's `Claims.Validate`: not expired, not before `nbf`, not issued in the future,
    /// each with the leeway; absent claims are not checked (legacy tokens have none).
    func timeValid(_ claims: JSONValue, now: Date) -> Bool {
        for key in ["exp", "nbf", "iat"] {
            guard let value = claims[key], value != .null else { continue }
            guard let date = value.numericDate else { return false }
            switch key {
            case "exp": if now.addingTimeInterval(-Self.leeway) > date { return false }
            default: if now.addingTimeInterval(Self.leeway) < date { return false }
            }
        }
        return true
    }

    /// Claims of a bound token (`kubernetes.io` object); namespace and account name required.
    static func boundClaims(_ claims: JSONValue) -> ServiceAccountTokenClaims? {
        guard let kubernetes = claims["kubernetes.io"],
              let namespace = kubernetes["namespace"]?.string, !namespace.isEmpty,
              let name = kubernetes["serviceaccount"]?["name"]?.string, !name.isEmpty
        else { return nil }
        func reference(_ kind: String) -> ServiceAccountTokenClaims.ObjectReference? {
            guard let object = kubernetes[kind.lowercased()], let name = object["name"]?.string else { return nil }
            return .init(kind: kind, name: name, uid: object["uid"]?.string ?? "")
        }
        return ServiceAccountTokenClaims(
            namespace: namespace, serviceAccountName: name,
            serviceAccountUID: kubernetes["serviceaccount"]?["uid"]?.string ?? "",
            // kube binds to one object; a pod-bound token also carries its node.
            boundObject: reference("Pod") ?? reference("Secret") ?? reference("Node"),
            node: reference("Pod") != nil ? reference("Node") : nil,
            tokenID: claims["jti"]?.string, expiration: claims["exp"]?.numericDate)
    }

    /// Claims of a legacy token; like kube's legacy validator, namespace, account name and
    /// UID and the Secret name must all be present.
    static func legacyClaims(_ claims: JSONValue) -> ServiceAccountTokenClaims? {
        let prefix = "kubernetes.io/serviceaccount/"
        guard let namespace = claims[prefix + "namespace"]?.string, !namespace.isEmpty,
              let name = claims[prefix + "service-account.name"]?.string, !name.isEmpty,
              let uid = claims[prefix + "service-account.uid"]?.string, !uid.isEmpty,
              let secret = claims[prefix + "secret.name"]?.string, !secret.isEmpty
        else { return nil }
        return ServiceAccountTokenClaims(namespace: namespace, serviceAccountName: name, serviceAccountUID: uid,
                                         legacySecretName: secret, tokenID: claims["jti"]?.string,
                                         expiration: claims["exp"]?.numericDate)
    }
}
