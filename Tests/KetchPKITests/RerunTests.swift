import Foundation
import KetchPKI
import Testing

/// Re-running keeps what exists, as `kubeadm init` does.
@Suite struct RerunTests {
    /// A private copy of the shared RSA PKI.
    static func copyOfShared(_ label: String) throws -> PKIFixture {
        let shared = PKIFixture(existing: try SharedPKI.rsa.get().path)
        let copy = PKIFixture(label)
        try shared.copy(to: copy)
        return copy
    }

    @Test func rerunChangesNothing() throws {
        let fixture = try Self.copyOfShared("rerun")
        defer { fixture.destroy() }
        let before = try fixture.snapshot()
        let events = try fixture.builder().run().map(\.description)
        #expect(try fixture.snapshot() == before)
        #expect(events == [
            "[certs] Using certificateDir folder \"\(fixture.path)\"",
            "[certs] Using existing ca certificate authority",
            "[certs] Using existing apiserver certificate and key on disk",
            "[certs] Using existing apiserver-kubelet-client certificate and key on disk",
            "[certs] Using existing front-proxy-ca certificate authority",
            "[certs] Using existing front-proxy-client certificate and key on disk",
            "[certs] Using existing etcd/ca certificate authority",
            "[certs] Using existing etcd/server certificate and key on disk",
            "[certs] Using existing etcd/peer certificate and key on disk",
            "[certs] Using existing etcd/healthcheck-client certificate and key on disk",
            "[certs] Using existing apiserver-etcd-client certificate and key on disk",
            "[certs] Using the existing \"sa\" key",
        ])
    }

    @Test func missingLeafIsSignedByTheExistingCA() throws {
        let fixture = try Self.copyOfShared("leaf")
        defer { fixture.destroy() }
        let ca = try fixture.bytes("ca.crt")
        let caKey = try fixture.bytes("ca.key")
        try fixture.remove("apiserver.crt")
        try fixture.remove("apiserver.key")
        let events = try fixture.builder().run().map(\.description)
        #expect(events.contains("[certs] Using existing ca certificate authority"))
        #expect(events.contains("[certs] Generating \"apiserver\" certificate and key"))
        #expect(try fixture.bytes("ca.crt") == ca)
        #expect(try fixture.bytes("ca.key") == caKey)
        let verify = try OpenSSLCLI.run(["verify", "-CAfile", "ca.crt", "apiserver.crt"], in: fixture.path)
        #expect(verify.status == 0)
    }

    @Test func singlePhaseRunsAlone() throws {
        let fixture = PKIFixture("phase")
        defer { fixture.destroy() }
        let builder = try fixture.builder(.ecdsaP256)
        #expect(throws: PKIError.authorityNotFound(name: "etcd-server", authority: fixture.file("etcd/ca.crt"))) {
            try builder.run(phase: "etcd-server")
        }
        #expect(try builder.run(phase: "etcd-ca").map(\.description) == ["[certs] Generating \"etcd/ca\" certificate and key"])
        let events = try builder.run(phase: "etcd-server").map(\.description)
        #expect(events.first == "[certs] Generating \"etcd/server\" certificate and key")
        #expect(Set(try fixture.snapshot().keys) == ["etcd/ca.crt", "etcd/ca.key", "etcd/server.crt", "etcd/server.key"])
        #expect(try builder.run(phase: "sa").map(\.description) == ["[certs] Generating \"sa\" key and public key"])
        #expect(throws: PKIError.self) { try builder.run(phase: "kubelet") }
        #expect(builder.phaseNames == [
            "all", "ca", "apiserver", "apiserver-kubelet-client", "front-proxy-ca", "front-proxy-client", "etcd-ca",
            "etcd-server", "etcd-peer", "etcd-healthcheck-client", "apiserver-etcd-client", "sa",
        ])
    }

    @Test func missingPublicKeyIsRestoredFromTheKey() throws {
        let fixture = try Self.copyOfShared("pub")
        defer { fixture.destroy() }
        let original = try fixture.bytes("sa.pub")
        let key = try fixture.bytes("sa.key")
        try fixture.remove("sa.pub")
        let events = try fixture.builder().run(phase: "sa").map(\.description)
        #expect(events == ["[certs] Using the existing \"sa\" key", "[certs] Writing the missing sa.pub from the existing \"sa\" key"])
        #expect(try fixture.bytes("sa.pub") == original)
        #expect(try fixture.bytes("sa.key") == key)
    }
}

/// The same PKI with ECDSA P-256 keys.
@Suite struct ECDSATests {
    @Test func ecdsaPKIVerifiesAndUsesECKeys() throws {
        let made = try SharedPKI.ecdsa.get()
        let fixture = PKIFixture(existing: made.path)
        for expected in ExpectedCertificate.kubeadm {
            let verify = try OpenSSLCLI.run(["verify", "-CAfile", expected.authorityFile, expected.file], in: made.path)
            #expect(verify.status == 0, "\(expected.file): \(verify.stderr)")
            let lines = try OpenSSLCLI.text(fixture.file(expected.file))
            #expect(lines.contains("Signature Algorithm: ecdsa-with-SHA256"))
            #expect(lines.contains("Public Key Algorithm: id-ecPublicKey"))
            #expect(lines.contains("NIST CURVE: P-256"))
            #expect(lines.contains("Subject: \(expected.subject)"))
        }
        for file in ExpectedCertificate.keyFiles {
            #expect(try fixture.mode(file) == 0o600)
            let pem = String(decoding: try fixture.bytes(file), as: UTF8.self)
            #expect(pem.hasPrefix("-----" + "BEGIN EC PRIVATE KEY-----\n"), "\(file)")
            let check = try OpenSSLCLI.run(["ec", "-check", "-noout", "-in", file], in: made.path)
            #expect(check.status == 0, "\(file): \(check.stderr)")
        }
        let apiserver = try PKIDirectory(made.path).readCertificate("apiserver.crt")
        #expect(apiserver.keyAlgorithm == .ecdsaP256)
    }
}
