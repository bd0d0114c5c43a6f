import Foundation
import KubeCore
import Testing

/// The apiserver's create/update defaulting and the time formats it writes.
@Suite struct ObjectDefaultsTests {
    @Test func createFillsIdentityAndTypeDefaults() throws {
        let input: JSONValue = .object([
            "metadata": .object(["generateName": .string("web-"), "resourceVersion": .string("9")]),
            "spec": .object(["ports": .array([.object(["port": .integer(80)])])]),
        ])
        let object = ObjectDefaults.forCreate(input, BuiltinResources.services, namespace: "default", fieldManager: "kubectl")
        let meta = try #require(object["metadata"])
        #expect(meta["name"]?.string?.count == "web-".count + 5)
        #expect(meta["namespace"] == .string("default"))
        #expect(meta["resourceVersion"] == nil)
        #expect(meta["uid"]?.string?.count == 36)
        #expect(KubeTime.parse(meta["creationTimestamp"]?.string ?? "") != nil)
        #expect(meta["managedFields"]?.array?.first?["manager"] == .string("kubectl"))
        #expect(object["spec"]?["type"] == .string("ClusterIP"))
        #expect(object["spec"]?["ports"]?.array?.first?["targetPort"] == .integer(80))
    }

    @Test func updateKeepsIdentityAndBumpsGenerationOnSpecChange() {
        let existing = ObjectDefaults.forCreate(.object(["metadata": .object(["name": .string("d")]),
                                                         "spec": .object(["replicas": .integer(1)])]),
                                                BuiltinResources.deployments, namespace: "default", fieldManager: nil)
        var changed = existing
        changed["spec"]?["replicas"] = .integer(3)
        changed["metadata"]?["uid"] = .string("forged")
        let updated = ObjectDefaults.forUpdate(changed, existing: existing, BuiltinResources.deployments, subresource: nil)
        #expect(updated["metadata"]?["uid"] == existing["metadata"]?["uid"])
        #expect(updated["metadata"]?["generation"] == .integer(2))
        let same = ObjectDefaults.forUpdate(existing, existing: existing, BuiltinResources.deployments, subresource: nil)
        #expect(same["metadata"]?["generation"] == .integer(1))
    }

    @Test func timeFormats() {
        let date = Date(timeIntervalSince1970: 1_750_000_000.5)
        #expect(KubeTime.rfc3339(date) == "2025-06-15T15:06:40Z")
        #expect(KubeTime.micro(date) == "2025-06-15T15:06:40.500000Z")
        #expect(KubeTime.rfc3339Nano(date) == "2025-06-15T15:06:40.5Z")
        #expect(KubeTime.day(date) == "2025-06-15")
        #expect(KubeTime.parse("2025-06-15T17:06:40.5+02:00") == date)
        #expect(KubeTime.parse("") == nil)
    }
}
