import Foundation
import Testing
@testable import KetchControllers
import KubeCore

@Suite("Deployment pod-template-hash and fenceposts")
struct DeploymentHashTests {
    typealias F = DeploymentFixtures

    @Test func fnv32aMatchesGosTestVectors() {
        func hash(_ text: String) -> UInt32 {
            var hasher = FNV32a()
            hasher.write(Array(text.utf8))
            return hasher.value
        }
        #expect(hash("") == 0x811c_9dc5)
        #expect(hash("a") == 0xe40c_292c)
        #expect(hash("foobar") == 0xbf9c_f968)
    }

    @Test func safeEncodeUsesUpstreamsAlphabet() {
        #expect(PodTemplateHash.safeEncode("0123456789") == "456789bcdf")
    }

    @Test func hashIsStableAndLooksLikeUpstreams() {
        let template = F.template()
        let hash = PodTemplateHash.compute(template, collisionCount: nil)
        #expect(hash == PodTemplateHash.compute(template, collisionCount: nil))
        #expect(!hash.isEmpty && hash.count <= 10)
        #expect(hash.allSatisfy { "456789bcdf".contains($0) })
    }

    @Test func hashIgnoresKeyOrderAndEmptyFields() {
        var padded = F.template()
        padded[at: ["metadata", "annotations"]] = .object([:])
        padded[at: ["spec", "volumes"]] = .array([])
        padded[at: ["spec", "nodeSelector"]] = .null
        #expect(PodTemplateHash.compute(padded, collisionCount: nil) == PodTemplateHash.compute(F.template(), collisionCount: nil))
        #expect(PodTemplateHash.equalIgnoringHash(padded, F.template()))
    }

    @Test func hashChangesWithTheTemplateAndTheCollisionCount() {
        let base = PodTemplateHash.compute(F.template(), collisionCount: nil)
        #expect(PodTemplateHash.compute(F.template(image: "nginx:1.28"), collisionCount: nil) != base)
        #expect(PodTemplateHash.compute(F.template(annotations: ["kubectl.kubernetes.io/restartedAt": "now"]),
                                        collisionCount: nil) != base)
        let collided = PodTemplateHash.compute(F.template(), collisionCount: 1)
        #expect(collided != base)
        #expect(collided != PodTemplateHash.compute(F.template(), collisionCount: 2))
    }

    @Test func templatesCompareWithoutTheHashLabel() {
        var labelled = F.template()
        labelled[at: ["metadata", "labels", PodTemplateHash.label]] = .string("7c5b7d5f9")
        #expect(PodTemplateHash.equalIgnoringHash(labelled, F.template()))
        #expect(!PodTemplateHash.equalIgnoringHash(labelled, F.template(image: "nginx:1.28")))
    }

    @Test func percentagesRoundAsUpstream() throws {
        #expect(try IntOrPercent.scaled(.string("25%"), total: 10, roundUp: true) == 3)
        #expect(try IntOrPercent.scaled(.string("25%"), total: 10, roundUp: false) == 2)
        #expect(try IntOrPercent.scaled(.integer(4), total: 10, roundUp: false) == 4)
        #expect(try IntOrPercent.scaled(nil, total: 10, roundUp: true) == 0)
        #expect(throws: IntOrPercent.Invalid.self) { try IntOrPercent.scaled(.string("25"), total: 10, roundUp: true) }
    }

    @Test func fencepostsNeverBothZero() {
        let oneUnavailable = DeploymentSpec(F.deployment(replicas: 2, maxSurge: .string("0%"), maxUnavailable: .string("10%")))
        #expect(oneUnavailable.maxSurge == 0)
        #expect(oneUnavailable.maxUnavailable == 1)
        let defaults = DeploymentSpec(F.deployment(replicas: 3))
        #expect(defaults.maxSurge == 1)
        #expect(defaults.maxUnavailable == 0)
        let capped = DeploymentSpec(F.deployment(replicas: 2, maxUnavailable: .integer(5)))
        #expect(capped.maxUnavailable == 2)
        let recreate = DeploymentSpec(F.deployment(strategy: "Recreate"))
        #expect(recreate.maxSurge == 0 && recreate.maxUnavailable == 0)
    }
}
