import Crypto
import Foundation
import Testing
import _CryptoExtras
import KubeCore
@testable import KetchAPIServer

/// Service-account tokens: issue/verify round trips, rejection of tampered, expired and
/// misaddressed tokens, kube's key ID and the discovery documents.
@Suite struct ServiceAccountTokenTests {
    static let issuerURL = "https://kubernetes.default.svc.cluster.local"
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    /// One key for the suite: RSA generation is slow.
    static let key = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    let issuer: ServiceAccountTokenIssuer
    let verifier: ServiceAccountTokenVerifier

    init() throws {
        // kubeadm's formats: sa.key as PKCS#1 "RSA PRIVATE KEY", sa.pub as PKIX "PUBLIC KEY".
        #expect(Self.key.pemRepresentation.hasPrefix("-----" + "BEGIN RSA PRIVATE KEY-----"))
        #expect(Self.key.publicKey.pemRepresentation.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        issuer = try ServiceAccountTokenIssuer(signingKeyPEM: Self.key.pemRepresentation, issuer: Self.issuerURL)
        verifier = try ServiceAccountTokenVerifier(publicKeyPEMs: [Self.key.publicKey.pemRepresentation],
                                                   issuers: [Self.issuerURL], audiences: [Self.issuerURL])
    }

    func issue(audiences: [String] = [issuerURL], seconds: Int = 3600) throws -> String {
        try issuer.issue(namespace: "team", serviceAccount: "builder", uid: "sa-uid", audiences: audiences,
                         expirationSeconds: seconds, now: Self.now).token
    }

    /// Decodes a token segment for inspection.
    static func segment(_ token: String, _ index: Int) throws -> JSONValue {
        let part = token.split(separator: ".")[index]
        return try JSONValue(parsing: try #require(Base64URL.decode(part)))
    }

    @Test func roundTrip() throws {
        let (token, expiration) = try issuer.issue(
            namespace: "team", serviceAccount: "builder", uid: "sa-uid", audiences: [Self.issuerURL],
            expirationSeconds: 3600, now: Self.now, boundObject: (kind: "Pod", name: "web-0", uid: "pod-uid"),
            node: (name: "node-1", uid: "node-uid"))
        #expect(expiration == Self.now.addingTimeInterval(3600))
        let user = try #require(verifier.verify(token, now: Self.now.addingTimeInterval(10)))
        #expect(user == UserInfo(name: "system:serviceaccount:team:builder",
                                 groups: ["system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated"],
                                 uid: "sa-uid"))
        let claims = try #require(verifier.verifiedClaims(token, now: Self.now))
        #expect(claims.boundObject == .init(kind: "Pod", name: "web-0", uid: "pod-uid"))
        #expect(claims.node == .init(kind: "Node", name: "node-1", uid: "node-uid"))
        #expect(claims.legacySecretName == nil)
    }

    @Test func claimsAndHeaderAreKubes() throws {
        let token = try issue()
        let header = try Self.segment(token, 0)
        #expect(header == .object(["alg": .string("RS256"), "kid": .string(issuer.keyID)]))
        let claims = try Self.segment(token, 1)
        #expect(claims["iss"] == .string(Self.issuerURL))
        #expect(claims["sub"] == .string("system:serviceaccount:team:builder"))
        #expect(claims["aud"] == .array([.string(Self.issuerURL)]))
        #expect(claims["iat"] == .integer(1_750_000_000))
        #expect(claims["nbf"] == .integer(1_750_000_000))
        #expect(claims["exp"] == .integer(1_750_003_600))
        #expect(claims["jti"]?.string?.count == 36)
        #expect(claims["kubernetes.io"] == .object([
            "namespace": .string("team"),
            "serviceaccount": .object(["name": .string("builder"), "uid": .string("sa-uid")]),
        ]))
    }

    @Test func keyIDIsBase64URLSHA256OfPKIX() {
        let expected = Data(SHA256.hash(data: Self.key.publicKey.derRepresentation)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        #expect(issuer.keyID == expected)
        #expect(issuer.keyID.count == 43)
    }

    @Test func pkcs8SigningKeyAndPrivateKeyAsVerificationKey() throws {
        let pkcs8 = Self.key.pkcs8PEMRepresentation
        #expect(pkcs8.hasPrefix("-----" + "BEGIN PRIVATE KEY-----"))
        let other = try ServiceAccountTokenIssuer(signingKeyPEM: pkcs8, issuer: Self.issuerURL)
        #expect(other.keyID == issuer.keyID)
        let token = try other.issue(namespace: "a", serviceAccount: "b", uid: "", audiences: [],
                                    expirationSeconds: 60, now: Self.now).token
        // kube-apiserver accepts a private key file as --service-account-key-file too.
        let fromPrivate = try ServiceAccountTokenVerifier(publicKeyPEMs: [Self.key.pemRepresentation],
                                                          issuers: [Self.issuerURL], audiences: [Self.issuerURL])
        let user = try #require(fromPrivate.verify(token, now: Self.now))
        #expect(user.uid == nil)
        #expect(user.name == "system:serviceaccount:a:b")
    }

    @Test func tamperedTokensFail() throws {
        let token = try issue()
        var parts = token.split(separator: ".").map(String.init)
        // Another signature byte.
        var signature = try #require(Base64URL.decode(parts[2]))
        signature[10] ^= 0x01
        #expect(verifier.verify([parts[0], parts[1], Base64URL.encode(signature)].joined(separator: "."), now: Self.now) == nil)
        // Other claims under the original signature.
        var claims = try Self.segment(token, 1)
        claims["sub"] = .string("system:serviceaccount:kube-system:admin")
        claims["kubernetes.io"] = .object(["namespace": .string("kube-system"),
                                           "serviceaccount": .object(["name": .string("admin")])])
        parts[1] = Base64URL.encode(try claims.encoded())
        #expect(verifier.verify(parts.joined(separator: "."), now: Self.now) == nil)
        // alg "none" and garbage.
        let none = Base64URL.encode(Data(#"{"alg":"none"}"#.utf8))
        #expect(verifier.verify(none + "." + token.split(separator: ".")[1] + ".", now: Self.now) == nil)
        #expect(verifier.verify("not-a-token", now: Self.now) == nil)
        // Signed by another key.
        let stranger = try ServiceAccountTokenIssuer(
            signingKeyPEM: try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation, issuer: Self.issuerURL)
        let foreign = try stranger.issue(namespace: "team", serviceAccount: "builder", uid: "u", audiences: [Self.issuerURL],
                                         expirationSeconds: 60, now: Self.now).token
        #expect(verifier.verify(foreign, now: Self.now) == nil)
    }

    @Test func expiryAndNotBeforeWithLeeway() throws {
        let token = try issue(seconds: 600)
        #expect(verifier.verify(token, now: Self.now.addingTimeInterval(600 + 59)) != nil)
        #expect(verifier.verify(token, now: Self.now.addingTimeInterval(600 + 61)) == nil)
        #expect(verifier.verify(token, now: Self.now.addingTimeInterval(-59)) != nil)
        #expect(verifier.verify(token, now: Self.now.addingTimeInterval(-61)) == nil)
    }

    @Test func audiencesAndIssuers() throws {
        #expect(verifier.verify(try issue(audiences: ["vault"]), now: Self.now) == nil)
        #expect(verifier.verify(try issue(audiences: ["vault", Self.issuerURL]), now: Self.now) != nil)
        // No audience: kube treats the token as meant for the apiserver.
        #expect(verifier.verify(try issue(audiences: []), now: Self.now) != nil)
        let elsewhere = try ServiceAccountTokenVerifier(publicKeyPEMs: [Self.key.publicKey.pemRepresentation],
                                                        issuers: ["https://other"], audiences: [])
        #expect(elsewhere.verify(try issue(), now: Self.now) == nil)
    }

    @Test func legacySecretTokens() throws {
        let claims: JSONValue = .object([
            "iss": .string("kubernetes/serviceaccount"),
            "sub": .string("system:serviceaccount:default:deployer"),
            "kubernetes.io/serviceaccount/namespace": .string("default"),
            "kubernetes.io/serviceaccount/secret.name": .string("deployer-token-abcde"),
            "kubernetes.io/serviceaccount/service-account.name": .string("deployer"),
            "kubernetes.io/serviceaccount/service-account.uid": .string("uid-1"),
        ])
        let token = try CompactJWT.sign(claims: claims, with: issuer.key, keyID: nil)
        let user = try #require(verifier.verify(token, now: Self.now))
        #expect(user.name == "system:serviceaccount:default:deployer")
        #expect(user.groups == ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"])
        #expect(verifier.verifiedClaims(token, now: Self.now)?.legacySecretName == "deployer-token-abcde")
        // Missing the secret name: rejected, as kube's legacy validator does.
        var partial = claims
        partial["kubernetes.io/serviceaccount/secret.name"] = nil
        #expect(verifier.verify(try CompactJWT.sign(claims: partial, with: issuer.key, keyID: nil), now: Self.now) == nil)
    }

    @Test func ecdsaP256Keys() throws {
        // kubeadm's encryptionAlgorithm: ECDSA-P256 makes sa.key an EC key: ES256 tokens.
        let ec = P256.Signing.PrivateKey()
        let ecIssuer = try ServiceAccountTokenIssuer(signingKeyPEM: ec.pemRepresentation, issuer: Self.issuerURL)
        let ecVerifier = try ServiceAccountTokenVerifier(
            publicKeyPEMs: [ec.publicKey.pemRepresentation, Self.key.publicKey.pemRepresentation],
            issuers: [Self.issuerURL], audiences: [Self.issuerURL])
        let token = try ecIssuer.issue(namespace: "n", serviceAccount: "s", uid: "u", audiences: [Self.issuerURL],
                                       expirationSeconds: 60, now: Self.now).token
        #expect(try Self.segment(token, 0)["alg"] == .string("ES256"))
        #expect(ecVerifier.verify(token, now: Self.now)?.name == "system:serviceaccount:n:s")
        #expect(ecVerifier.verify(try issue(), now: Self.now) != nil)
        #expect(ecVerifier.openIDConfiguration(issuer: Self.issuerURL)["id_token_signing_alg_values_supported"]
            == .array([.string("ES256"), .string("RS256")]))
        let jwk = try #require(ecVerifier.jwks()["keys"]?.array?.first)
        #expect(jwk["crv"] == .string("P-256"))
        #expect(jwk["x"]?.string?.count == 43)
    }

    @Test func discoveryDocuments() throws {
        let config = verifier.openIDConfiguration(issuer: Self.issuerURL, jwksURI: "https://10.0.0.1:6443/openid/v1/jwks")
        #expect(config == .object([
            "issuer": .string(Self.issuerURL),
            "jwks_uri": .string("https://10.0.0.1:6443/openid/v1/jwks"),
            "response_types_supported": .array([.string("id_token")]),
            "subject_types_supported": .array([.string("public")]),
            "id_token_signing_alg_values_supported": .array([.string("RS256")]),
        ]))
        #expect(verifier.openIDConfiguration(issuer: Self.issuerURL)["jwks_uri"]
            == .string("https://kubernetes.default.svc.cluster.local/openid/v1/jwks"))
        let keys = try #require(verifier.jwks()["keys"]?.array)
        #expect(keys.count == 1)
        #expect(keys[0]["kty"] == .string("RSA"))
        #expect(keys[0]["alg"] == .string("RS256"))
        #expect(keys[0]["use"] == .string("sig"))
        #expect(keys[0]["kid"] == .string(issuer.keyID))
        #expect(keys[0]["e"] == .string("AQAB"))
        // A 2048-bit modulus: 256 bytes, 342 base64url characters.
        #expect(keys[0]["n"]?.string?.count == 342)
    }

    @Test func pemFilesWithSeveralBlocks() throws {
        let other = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let bundle = "comment\n" + Self.key.publicKey.pemRepresentation + "\n" + other.publicKey.pemRepresentation
        let both = try ServiceAccountTokenVerifier(publicKeyPEMs: [bundle], issuers: [Self.issuerURL], audiences: [])
        #expect(both.jwks()["keys"]?.array?.count == 2)
        #expect(both.verify(try issue(), now: Self.now) != nil)
        #expect(throws: ServiceAccountTokenError.self) {
            try ServiceAccountTokenVerifier(publicKeyPEMs: ["nothing here"], issuers: [], audiences: [])
        }
        #expect(throws: ServiceAccountTokenError.self) {
            try ServiceAccountTokenIssuer(signingKeyPEM: Self.key.publicKey.pemRepresentation, issuer: Self.issuerURL)
        }
    }

    /// Cross-checks signature and key ID with the openssl CLI, when it is installed.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func opensslAgrees() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sa-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let token = try issue()
        let parts = token.split(separator: ".")
        try Data("\(parts[0]).\(parts[1])".utf8).write(to: dir.appendingPathComponent("input"))
        try #require(Base64URL.decode(parts[2])).write(to: dir.appendingPathComponent("sig"))
        try Self.key.publicKey.pemRepresentation.write(to: dir.appendingPathComponent("sa.pub"), atomically: true, encoding: .utf8)
        let verified = try Self.run(["dgst", "-sha256", "-verify", "sa.pub", "-signature", "sig", "input"], in: dir)
        #expect(verified.contains("Verified OK"))
        _ = try Self.run(["pkey", "-pubin", "-in", "sa.pub", "-outform", "DER", "-out", "sa.der"], in: dir)
        let der = try Data(contentsOf: dir.appendingPathComponent("sa.der"))
        #expect(Base64URL.encode(Data(SHA256.hash(data: der))) == issuer.keyID)
        // Keys as the openssl CLI writes them: PKCS#1 RSA and SEC 1 "EC PRIVATE KEY".
        _ = try Self.run(["genrsa", "-traditional", "-out", "rsa.key", "2048"], in: dir)
        _ = try Self.run(["ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.key"], in: dir)
        for (file, alg) in [("rsa.key", "RS256"), ("ec.key", "ES256")] {
            let pem = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            let signer = try ServiceAccountTokenIssuer(signingKeyPEM: pem, issuer: Self.issuerURL)
            let check = try ServiceAccountTokenVerifier(publicKeyPEMs: [pem], issuers: [Self.issuerURL], audiences: [])
            let token = try signer.issue(namespace: "n", serviceAccount: "s", uid: "u", audiences: [],
                                         expirationSeconds: 60, now: Self.now).token
            #expect(try Self.segment(token, 0)["alg"] == .string(alg))
            #expect(check.verify(token, now: Self.now) != nil)
        }
    }

    static func run(_ arguments: [String], in directory: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }
}
