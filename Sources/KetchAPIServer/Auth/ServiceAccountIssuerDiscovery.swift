import Foundation
import KubeCore

/// The documents of kube's service-account issuer discovery, which let relying parties
/// (cloud IAM, Vault, …) verify tokens: `/.well-known/openid-configuration` and
/// `/openid/v1/jwks`. kube serves them only when the issuer is an https URL.
extension ServiceAccountTokenVerifier {
    /// The path of the OIDC discovery document.
    public static let openIDConfigurationPath = "/.well-known/openid-configuration"
    /// The path of the key set.
    public static let jwksPath = "/openid/v1/jwks"

    /// The OIDC discovery document. `jwksURI` is kube's `--service-account-jwks-uri`; kube
    /// defaults it to `https://<apiserver external address>/openid/v1/jwks`, which only the
    /// caller knows, so without it the issuer's host is used.
    public func openIDConfiguration(issuer: String, jwksURI: String? = nil) -> JSONValue {
        let defaultURI: String = {
            guard var components = URLComponents(string: issuer) else { return issuer + Self.jwksPath }
            components.scheme = "https"
            components.path = Self.jwksPath
            components.query = nil
            components.fragment = nil
            return components.string ?? issuer + Self.jwksPath
        }()
        return .object([
            "issuer": .string(issuer),
            "jwks_uri": .string(jwksURI ?? defaultURI),
            "response_types_supported": .array([.string("id_token")]),
            "subject_types_supported": .array([.string("public")]),
            // Sorted and distinct, as Go's sets.String.List().
            "id_token_signing_alg_values_supported": .array(Set(keys.map(\.algorithm)).sorted().map(JSONValue.string)),
        ])
    }

    /// The public keys as a JWK set, one per distinct key ID.
    public func jwks() -> JSONValue {
        var seen = Set<String>()
        let unique = keys.filter { seen.insert($0.keyID).inserted }
        return .object(["keys": .array(unique.map(\.jwk))])
    }
}
