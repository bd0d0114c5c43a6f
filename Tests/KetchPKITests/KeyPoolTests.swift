import Foundation
import KetchPKI
import Testing

/// Keys made ahead of need.
@Suite struct KeyPoolTests {
    @Test func poolHandsOutDistinctKeysAndFallsBackWhenDry() throws {
        let pool = KeyPool(algorithm: .ecdsaP256, count: 2)
        let keys = try pool.take(3)
        let pems = Set(try keys.map { try $0.pemEncoded() })
        #expect(pems.count == 3)
        #expect(keys.allSatisfy { $0.algorithm == .ecdsaP256 })
    }

    @Test func droppedPoolDoesNotBlock() {
        for _ in 0..<4 { _ = KeyPool(algorithm: .ecdsaP256, count: 8) }
    }

    @Test func keysNeededCountsOnlyWhatIsMissing() throws {
        let fixture = try RerunTests.copyOfShared("needed")
        defer { fixture.destroy() }
        let builder = try fixture.builder()
        #expect(try builder.keysNeeded() == 0)
        try fixture.remove("apiserver.crt")
        try fixture.remove("apiserver.key")
        try fixture.remove("sa.key")
        try fixture.remove("sa.pub")
        #expect(try builder.keysNeeded() == 2)
        #expect(try builder.keysNeeded(phase: "apiserver") == 1)
        #expect(try PKIFixture("empty").builder().keysNeeded() == 11)
    }

    @Test func builderUsesTheGivenPoolAndRefusesAMismatchedOne() throws {
        let fixture = PKIFixture("pool")
        defer { fixture.destroy() }
        let builder = try fixture.builder(.ecdsaP256)
        #expect(throws: PKIError.invalidParameter(
            name: "key pool", value: "RSA-2048", reason: "the builder makes ECDSA-P256 keys")) {
            try builder.run(keys: KeyPool(algorithm: .rsa2048, count: 0))
        }
        let pool = KeyPool(algorithm: .ecdsaP256, count: try builder.keysNeeded() + 5)
        try builder.run(keys: pool)
        let profiles = builder.profiles
        let ca = try PKIDirectory(fixture.path).readAuthority(try #require(profiles.certificate(named: "ca")))
        let templates = try profiles.kubeconfigClients.map { try $0.template(with: PKIFixture.parameters, now: Date()) }
        let clients = try ca.issue(templates, keys: pool)
        #expect(clients.count == 5)
        #expect(clients.allSatisfy { $0.key.matches($0.certificate) && $0.certificate.isIssued(by: ca.certificate) })
        #expect(Set(try fixture.snapshot().keys).count == 22)
    }
}
