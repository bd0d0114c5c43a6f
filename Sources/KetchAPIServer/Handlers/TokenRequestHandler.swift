import Foundation
import Hummingbird
import KubeCore

/// `POST …/serviceaccounts/<name>/token` (TokenRequest, what `kubectl create token` sends) and
/// the issuer discovery documents.
struct TokenRequestHandler: Sendable {
    let issuer: ServiceAccountTokenIssuer?
    let verifier: ServiceAccountTokenVerifier
    let audiences: [String]

    /// Issues a token for a ServiceAccount that exists.
    func create(namespace: String, name: String, body: [UInt8], contentType: String?, store: RegistryObjectStore) async throws -> Response {
        guard let issuer else {
            throw KubeStatus.internalError("no --service-account-signing-key-file: this server cannot issue tokens")
        }
        let sa = BuiltinResources.all.first { $0.group.isEmpty && $0.plural == "serviceaccounts" }!
        guard let account = try await store.get(sa, namespace: namespace, name: name) else {
            throw KubeStatus.notFound(sa, name: name)
        }
        let request = body.isEmpty ? JSONValue.object([:]) : try RequestBodyDecoder.object(body, contentType: contentType, expect: sa)
        let spec = request["spec"] ?? .object([:])
        let requestedAudiences = spec["audiences"]?.array?.compactMap(\.string) ?? []
        let audiences = requestedAudiences.isEmpty ? self.audiences : requestedAudiences
        let seconds = spec["expirationSeconds"]?.int ?? 3600
        if seconds < 600 {
            throw KubeStatus.invalid(sa, kind: "TokenRequest", name: name, causes: [.init(
                reason: "FieldValueInvalid", message: "Invalid value: \(seconds): may not specify a duration less than 10 minutes",
                field: "spec.expirationSeconds")])
        }
        let now = Date()
        let (token, expiry) = try issuer.issue(
            namespace: namespace, serviceAccount: name, uid: account["metadata"]?["uid"]?.string ?? "",
            audiences: audiences, expirationSeconds: seconds, now: now)
        let response: JSONValue = .object([
            "kind": .string("TokenRequest"), "apiVersion": .string("authentication.k8s.io/v1"),
            "metadata": .object(["name": .string(name), "namespace": .string(namespace),
                                 "creationTimestamp": .null]),
            "spec": .object(["audiences": .array(audiences.map(JSONValue.string)),
                             "expirationSeconds": .integer(seconds), "boundObjectRef": .null]),
            "status": .object(["token": .string(token), "expirationTimestamp": .string(KubeTime.rfc3339(expiry))]),
        ])
        return KubeResponses.json(response, status: .created)
    }

    /// `/.well-known/openid-configuration`.
    func openIDConfiguration() -> Response {
        KubeResponses.json(verifier.openIDConfiguration(issuer: verifier.issuers.first ?? "https://kubernetes.default.svc.cluster.local"))
    }

    /// `/openid/v1/jwks`.
    func jwks() -> Response {
        KubeResponses.bytes(Array((try? verifier.jwks().encoded()) ?? Data()), contentType: "application/jwk-set+json")
    }
}
