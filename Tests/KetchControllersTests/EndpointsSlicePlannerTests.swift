import Foundation
@testable import KetchControllers
import KubeCore
import Testing

/// EndpointSlices planned from Services, pods and the slices that exist.
@Suite struct EndpointsSlicePlannerTests {
    typealias F = EndpointsFixtures

    func plan(_ service: JSONValue = F.service(), pods: [JSONValue], existing: [JSONValue] = [], max: Int = 100) -> EndpointSlicePlan {
        EndpointSlicePlanner.plan(service: service, pods: pods, existing: existing, nodeLabels: F.nodeLabels,
                                  triggerTime: KubeTime.parse("2024-01-01T00:01:00Z"), maxEndpointsPerSlice: max)
    }

    /// A planned slice as the apiserver would store it under `name`.
    func stored(_ slice: JSONValue, _ name: String, version: Int = 1) -> JSONValue {
        var object = slice
        var metadata = object["metadata"]?.object ?? [:]
        metadata["name"] = .string(name)
        metadata["uid"] = .string("uid-" + name)
        metadata["resourceVersion"] = .string(String(version))
        object["metadata"] = .object(metadata)
        return object
    }

    @Test func newServiceGetsOneSliceWithItsPods() throws {
        let result = plan(pods: [F.pod("b", ip: "10.244.0.6", ready: false), F.pod("a")])
        #expect(result.update.isEmpty && result.delete.isEmpty && result.skipped.isEmpty)
        let slice = try #require(result.create.first)
        #expect(result.create.count == 1)
        #expect(slice["apiVersion"] == .string("discovery.k8s.io/v1"))
        #expect(slice["addressType"] == .string("IPv4"))
        #expect(slice[path: ["metadata", "generateName"]] == .string("web-"))
        #expect(slice[path: ["metadata", "labels"]] == .object([
            "kubernetes.io/service-name": .string("web"),
            "endpointslice.kubernetes.io/managed-by": .string("endpointslice-controller.k8s.io"),
        ]))
        #expect(slice[path: ["metadata", "annotations", "endpoints.kubernetes.io/last-change-trigger-time"]] == .string("2024-01-01T00:01:00Z"))
        let owner = try #require(OwnerReferences.controllerRef(of: slice))
        #expect(owner.kind == "Service" && owner.apiVersion == "v1" && owner.uid == "svc-uid" && owner.blockOwnerDeletion)
        #expect(slice["ports"] == .array([.object(["name": .string("http"), "port": .integer(8080), "protocol": .string("TCP")])]))
        let endpoints = slice["endpoints"]?.array ?? []
        #expect(endpoints.count == 2)
        #expect(endpoints.first == .object([
            "addresses": .array([.string("10.244.0.5")]),
            "conditions": .object(["ready": .bool(true), "serving": .bool(true), "terminating": .bool(false)]),
            "targetRef": .object(["kind": .string("Pod"), "namespace": .string("default"), "name": .string("a"), "uid": .string("uid-a")]),
            "nodeName": .string("n1"),
        ]))
        #expect(endpoints.last?["conditions"] == .object(["ready": .bool(false), "serving": .bool(false), "terminating": .bool(false)]))
    }

    @Test func unchangedSlicesAreNotRewritten() {
        let pods = [F.pod("a"), F.pod("b", ip: "10.244.0.6")]
        let existing = plan(pods: pods).create.map { stored($0, "web-abcde") }
        let again = plan(pods: pods, existing: existing)
        #expect(again.create.isEmpty && again.update.isEmpty && again.delete.isEmpty)
    }

    @Test func readinessChangesUpdateTheSlice() throws {
        let existing = plan(pods: [F.pod("a")]).create.map { stored($0, "web-abcde") }
        let result = plan(pods: [F.pod("a", terminating: true)], existing: existing)
        let updated = try #require(result.update.first)
        #expect(updated[path: ["metadata", "name"]] == .string("web-abcde"))
        #expect(updated[path: ["metadata", "resourceVersion"]] == .string("1"))
        // Terminating: not ready, still serving while its readiness probe passes.
        #expect(updated["endpoints"]?.array?.first?["conditions"] == .object([
            "ready": .bool(false), "serving": .bool(true), "terminating": .bool(true)]))
    }

    @Test func noPodsMeansOnePlaceholderSliceKeptAsItIs() throws {
        let result = plan(pods: [])
        let placeholder = try #require(result.create.first)
        #expect(result.create.count == 1)
        #expect(placeholder["endpoints"] == .array([]))
        #expect(placeholder["ports"] == .array([]))
        let stable = plan(pods: [], existing: [stored(placeholder, "web-xyzab")])
        #expect(stable.create.isEmpty && stable.update.isEmpty && stable.delete.isEmpty)
        // Pods arriving reuse the placeholder's name instead of deleting it and creating another.
        let filled = plan(pods: [F.pod("a")], existing: [stored(placeholder, "web-xyzab")])
        #expect(filled.create.isEmpty && filled.delete.isEmpty)
        #expect(filled.update.first?[path: ["metadata", "name"]] == .string("web-xyzab"))
        #expect(filled.update.first?["endpoints"]?.array?.count == 1)
    }

    @Test func manyPodsSpreadOverSlicesOfAtMostMax() {
        let pods = (0..<5).map { F.pod("p\($0)", ip: "10.244.0.\($0 + 10)") }
        let result = plan(pods: pods, max: 2)
        #expect(result.create.map { $0["endpoints"]?.array?.count ?? 0 } == [2, 2, 1])
        // One more pod fills the partly used slice rather than making a fourth.
        let existing = result.create.enumerated().map { stored($1, "web-\($0)") }
        let grown = plan(pods: pods + [F.pod("p9", ip: "10.244.0.99")], existing: existing, max: 2)
        #expect(grown.create.isEmpty)
        #expect(grown.update.map { $0[path: ["metadata", "name"]] } == [.string("web-2")])
    }

    @Test func podsResolvingDifferentPortsGetSeparateSlices() {
        var other = F.pod("b", ip: "10.244.0.6")
        other["spec"]?["containers"] = .array([.object(["name": .string("c"), "ports": .array([
            .object(["name": .string("http"), "containerPort": .integer(9090)])])])])
        let result = plan(pods: [F.pod("a"), other])
        let ports = result.create.map { $0["ports"]?.array?.first?["port"] }
        #expect(Set(ports) == [.integer(8080), .integer(9090)])
    }

    @Test func slicesOfAnOlderServiceWithTheSameNameAreReplaced() {
        let old = plan(F.service(uid: "old-uid"), pods: [F.pod("a")]).create.map { stored($0, "web-old") }
        let result = plan(pods: [F.pod("a")], existing: old)
        // Not the same owner: deleted, never updated in place.
        #expect(result.delete.map { $0[path: ["metadata", "name"]] } == [.string("web-old")])
        #expect(result.create.count == 1)
        #expect(result.update.isEmpty)
    }

    @Test func podsOnUnknownNodesAreSkippedAndReported() {
        let result = plan(pods: [F.pod("a"), F.pod("lost", ip: "10.244.9.9", node: "gone")])
        #expect(result.create.first?["endpoints"]?.array?.count == 1)
        #expect(result.skipped == ["skipping Pod lost for Service default/web: Node gone Not Found"])
    }

    @Test func serviceLabelsAndHeadlessnessShowOnSlices() throws {
        let service = F.service(clusterIP: "None", labels: ["team": "a", "kubernetes.io/service-name": "spoof"])
        let slice = try #require(plan(service, pods: [F.pod("a")]).create.first)
        #expect(slice[path: ["metadata", "labels"]] == .object([
            "team": .string("a"), "service.kubernetes.io/headless": .string(""),
            "kubernetes.io/service-name": .string("web"),
            "endpointslice.kubernetes.io/managed-by": .string("endpointslice-controller.k8s.io"),
        ]))
        let relabelled = plan(F.service(clusterIP: "None", labels: ["team": "b"]), pods: [F.pod("a")], existing: [stored(slice, "web-a")])
        #expect(relabelled.update.first?[path: ["metadata", "labels", "team"]] == .string("b"))
    }

    @Test func addressTypesFollowTheServiceFamilies() {
        #expect(EndpointSlicePlanner.addressTypes(ServiceSpec(F.service())) == ["IPv4"])
        var dual = F.service()
        dual["spec"]?["ipFamilies"] = .array([.string("IPv6"), .string("IPv4")])
        #expect(EndpointSlicePlanner.addressTypes(ServiceSpec(dual)) == ["IPv4", "IPv6"])
        var bare = F.service(clusterIP: "None")
        bare["spec"]?["ipFamilies"] = nil
        #expect(EndpointSlicePlanner.addressTypes(ServiceSpec(bare)) == ["IPv4", "IPv6"])
    }
}
