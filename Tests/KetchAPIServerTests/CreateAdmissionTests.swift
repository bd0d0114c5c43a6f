import Foundation
import KubeCore
import Testing
@testable import KetchAPIServer

/// The admission plugins a create goes through that read other objects: Priority resolves a
/// pod's PriorityClass, DefaultStorageClass gives a claim the default class.
@Suite struct CreateAdmissionTests {
    @Test func podsGetTheirPriorityFromTheirClass() async throws {
        let f = try await HandlerFixture()
        try await f.create(BuiltinResources.priorityClasses, namespace: nil,
                           #"{"metadata":{"name":"system-node-critical"},"value":2000001000}"#)
        let critical = try await f.pod("critical", spec: #""priorityClassName":"system-node-critical""#)
        #expect(critical["spec"]?["priority"] == .integer(2_000_001_000))
        #expect(critical["spec"]?["preemptionPolicy"] == .string("PreemptLowerPriority"))
        let plain = try await f.pod("plain")
        #expect(plain["spec"]?["priority"] == .integer(0))
        let unknown = await f.status { try await f.pod("gold", spec: #""priorityClassName":"gold""#) }
        #expect(unknown?.code == 403)
        #expect(unknown?.message == #"pods "gold" is forbidden: no PriorityClass with name gold was found"#)
        #expect(try await f.get(BuiltinResources.pods, "gold") == nil)
    }

    @Test func claimsWithoutAClassGetTheDefaultOne() async throws {
        let f = try await HandlerFixture()
        let claim = #"{"metadata":{"name":"NAME"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}CLASS}}"#
        func create(_ name: String, _ className: String = "") async throws -> JSONValue {
            try await f.create(BuiltinResources.persistentVolumeClaims,
                               claim.replacingOccurrences(of: "NAME", with: name).replacingOccurrences(of: "CLASS", with: className))
        }
        #expect(try await create("before")["spec"]?["storageClassName"] == nil)
        try await f.create(BuiltinResources.storageClasses, namespace: nil, #"""
        {"metadata":{"name":"standard","annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},"provisioner":"ketch.dev/simulated"}
        """#)
        let defaulted = try await create("after")
        #expect(defaulted["spec"]?["storageClassName"] == .string("standard"))
        #expect(defaulted["status"]?["phase"] == .string("Pending"))
        #expect(try await create("none", #","storageClassName":"""#)["spec"]?["storageClassName"] == .string(""))
        #expect(try await create("named", #","storageClassName":"fast""#)["spec"]?["storageClassName"] == .string("fast"))
    }
}
