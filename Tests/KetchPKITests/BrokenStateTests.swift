import Foundation
import KetchPKI
import Testing

/// Half-written or inconsistent directories fail with a clear error and are left untouched.
@Suite struct BrokenStateTests {
    /// Breaks a copy of the shared PKI, runs `all`, and checks the error and that nothing changed.
    func expectRefusal(
        _ label: String, break damage: (PKIFixture) throws -> Void, _ expected: (PKIFixture) -> PKIError
    ) throws {
        try expectRefusal(label, break: damage, matching: { fixture, error in
            (error as? PKIError) == expected(fixture)
        })
    }

    func expectRefusal(
        _ label: String, break damage: (PKIFixture) throws -> Void, matching: (PKIFixture, any Error) -> Bool
    ) throws {
        let fixture = try RerunTests.copyOfShared(label)
        defer { fixture.destroy() }
        try damage(fixture)
        let before = try fixture.snapshot()
        #expect { try fixture.builder().run() } throws: { matching(fixture, $0) }
        #expect(try fixture.snapshot() == before)
    }

    @Test func mismatchedKeyIsRejected() throws {
        try expectRefusal("mismatch") { fixture in
            try fixture.remove("apiserver.key")
            try FileManager.default.copyItem(atPath: fixture.file("front-proxy-client.key"), toPath: fixture.file("apiserver.key"))
        } _: { fixture in
            .keyMismatch(certificate: fixture.file("apiserver.crt"), key: fixture.file("apiserver.key"))
        }
        let message = PKIError.keyMismatch(certificate: "/p/apiserver.crt", key: "/p/apiserver.key").description
        #expect(message == "private key /p/apiserver.key does not match /p/apiserver.crt")
    }

    @Test func mismatchedCAKeyIsRejected() throws {
        try expectRefusal("ca-mismatch") { fixture in
            try fixture.remove("ca.key")
            try FileManager.default.copyItem(atPath: fixture.file("etcd/ca.key"), toPath: fixture.file("ca.key"))
        } _: { fixture in
            .keyMismatch(certificate: fixture.file("ca.crt"), key: fixture.file("ca.key"))
        }
    }

    @Test func certificateWithoutKey() throws {
        try expectRefusal("no-key") { try $0.remove("etcd/peer.key") } _: { fixture in
            .incomplete(present: fixture.file("etcd/peer.crt"), missing: fixture.file("etcd/peer.key"))
        }
    }

    @Test func keyWithoutCertificate() throws {
        try expectRefusal("no-cert") { try $0.remove("front-proxy-client.crt") } _: { fixture in
            .incomplete(present: fixture.file("front-proxy-client.key"), missing: fixture.file("front-proxy-client.crt"))
        }
    }

    @Test func caKeyWithoutCertificateIsNeverOverwritten() throws {
        try expectRefusal("ca-no-cert") { try $0.remove("ca.crt") } _: { fixture in
            .incomplete(present: fixture.file("ca.key"), missing: fixture.file("ca.crt"))
        }
    }

    @Test func leafWhoseCAIsGone() throws {
        try expectRefusal("orphan") { fixture in
            try fixture.remove("etcd/ca.crt")
            try fixture.remove("etcd/ca.key")
        } _: { fixture in
            .authorityMissing(certificate: fixture.file("etcd/server.crt"), authority: fixture.file("etcd/ca.crt"))
        }
    }

    @Test func leafSignedByAnotherCA() throws {
        try expectRefusal("foreign") { fixture in
            for file in ["apiserver.crt", "apiserver.key"] {
                try fixture.remove(file)
            }
            for (from, to) in [("etcd/server.crt", "apiserver.crt"), ("etcd/server.key", "apiserver.key")] {
                try FileManager.default.copyItem(atPath: fixture.file(from), toPath: fixture.file(to))
            }
        } _: { fixture in
            .notSignedBy(certificate: fixture.file("apiserver.crt"), authority: fixture.file("ca.crt"))
        }
    }

    @Test func certificateFileThatIsNotPEM() throws {
        try expectRefusal("garbage") { fixture in
            try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: fixture.file("ca.crt")))
        } _: { fixture in
            .notPEM(path: fixture.file("ca.crt"), expected: "certificate")
        }
    }

    @Test func keyWhereACertificateBelongs() throws {
        try expectRefusal("swapped") { fixture in
            try fixture.remove("apiserver.crt")
            try FileManager.default.copyItem(atPath: fixture.file("apiserver.key"), toPath: fixture.file("apiserver.crt"))
        } _: { fixture in
            .wrongPEMType(path: fixture.file("apiserver.crt"), expected: "certificate", found: ["RSA PRIVATE KEY"])
        }
    }

    @Test func truncatedKey() throws {
        try expectRefusal("truncated") { fixture in
            let pem = try fixture.bytes("sa.key")
            try pem.prefix(200).write(to: URL(fileURLWithPath: fixture.file("sa.key")))
        } matching: { fixture, error in
            // libcrypto's reason text varies by version; the file must be named.
            guard case let PKIError.invalidContent(path, _) = error else { return false }
            return path == fixture.file("sa.key")
        }
    }

    @Test func keylessCAIsUsedButCannotSign() throws {
        let fixture = try RerunTests.copyOfShared("keyless")
        defer { fixture.destroy() }
        try fixture.remove("front-proxy-ca.key")
        let events = try fixture.builder().run().map(\.description)
        #expect(events.contains("[certs] Using existing front-proxy-ca keyless certificate authority"))
        try fixture.remove("front-proxy-client.crt")
        try fixture.remove("front-proxy-client.key")
        #expect(throws: PKIError.authorityKeyMissing(name: "front-proxy-client", key: fixture.file("front-proxy-ca.key"))) {
            try fixture.builder().run()
        }
    }

    @Test func unreadableDirectoryEntry() throws {
        let fixture = try RerunTests.copyOfShared("dir")
        defer { fixture.destroy() }
        try fixture.remove("apiserver.crt")
        try FileManager.default.createDirectory(atPath: fixture.file("apiserver.crt"), withIntermediateDirectories: false)
        #expect {
            try fixture.builder().run()
        } throws: { error in
            guard case let PKIError.unreadable(path, _) = error else { return false }
            return path == fixture.file("apiserver.crt")
        }
    }
}
