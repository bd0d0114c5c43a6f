import Foundation
@testable import KetchControllers
import KubeCore
import Testing

/// Endpoints subsets and objects built from Services and pods.
@Suite struct EndpointsBuilderTests {
    typealias F = EndpointsFixtures

    func address(_ pod: String, _ ip: String) -> EndpointSubset.Address {
        .init(ip: ip, nodeName: "n1", targetRef: TargetReference(namespace: "default", name: pod, uid: "uid-" + pod))
    }

    @Test func readyAndNotReadyPodsShareOneSubsetPerPortSet() {
        let service = ServiceSpec(F.service())
        let pods = [F.pod("b", ip: "10.244.0.7"), F.pod("a", ip: "10.244.0.6", ready: false), F.pod("c", ip: "10.244.0.5")]
        let subsets = EndpointsBuilder.subsets(for: service, pods: pods)
        #expect(subsets == [EndpointSubset(addresses: [address("c", "10.244.0.5"), address("b", "10.244.0.7")],
                                           notReadyAddresses: [address("a", "10.244.0.6")],
                                           ports: [.init(name: "http", port: 8080, proto: "TCP")])])
        let json = subsets[0].json
        #expect(json[path: ["addresses"]]?.array?.first?["targetRef"] == .object([
            "kind": .string("Pod"), "namespace": .string("default"), "name": .string("c"), "uid": .string("uid-c")]))
        #expect(json["ports"] == .array([.object(["name": .string("http"), "port": .integer(8080), "protocol": .string("TCP")])]))
    }

    @Test func podsWithoutIPFinishedOrTerminatingAreLeftOut() {
        var done = F.pod("done", ip: "10.244.0.9")
        done["status"]?["phase"] = .string("Succeeded")
        let pods = [F.pod("noip", ip: nil), done, F.pod("bye", ip: "10.244.0.8", terminating: true), F.pod("ok")]
        let subsets = EndpointsBuilder.subsets(for: ServiceSpec(F.service()), pods: pods)
        #expect(subsets.flatMap { $0.addresses + $0.notReadyAddresses }.compactMap(\.targetRef?.name) == ["ok"])
        // Publishing not-ready addresses keeps terminating pods, as ready addresses.
        let published = EndpointsBuilder.subsets(for: ServiceSpec(F.service(publishNotReady: true)), pods: pods)
        #expect(published.flatMap(\.addresses).compactMap(\.targetRef?.name).sorted() == ["bye", "ok"])
    }

    @Test func portsResolveByNumberOrByNameAndProtocol() {
        let pod = F.pod("a")
        let numbered = ServiceSpec.Port(.object(["port": .integer(80), "targetPort": .integer(9090)]))
        #expect(PodEndpointInfo.findPort(pod, numbered) == 9090)
        let defaulted = ServiceSpec.Port(.object(["port": .integer(80)]))
        #expect(PodEndpointInfo.findPort(pod, defaulted) == 80)
        let named = ServiceSpec.Port(.object(["port": .integer(80), "targetPort": .string("http")]))
        #expect(PodEndpointInfo.findPort(pod, named) == 8080)
        let udp = ServiceSpec.Port(.object(["port": .integer(80), "targetPort": .string("http"), "protocol": .string("UDP")]))
        #expect(PodEndpointInfo.findPort(pod, udp) == nil)
        let missing = ServiceSpec.Port(.object(["port": .integer(80), "targetPort": .string("grpc")]))
        #expect(PodEndpointInfo.findPort(pod, missing) == nil)
        // A sidecar (restartable init container) offers its ports too.
        var sidecar = pod
        sidecar["spec"]?["initContainers"] = .array([.object(["name": .string("s"), "restartPolicy": .string("Always"),
            "ports": .array([.object(["name": .string("grpc"), "containerPort": .integer(9000)])])])])
        #expect(PodEndpointInfo.findPort(sidecar, missing) == 9000)
        // A pod that resolves no port is not listed at all.
        let service = ServiceSpec(F.service(ports: [("grpc", 90, .string("grpc"))]))
        #expect(EndpointsBuilder.subsets(for: service, pods: [pod]).isEmpty)
    }

    @Test func hostnameOnlyForPodsInTheServicesSubdomain() {
        let service = ServiceSpec(F.service())
        #expect(PodEndpointInfo.hostname(F.pod("a", hostname: "a", subdomain: "web"), for: service) == "a")
        #expect(PodEndpointInfo.hostname(F.pod("a", hostname: "a", subdomain: "other"), for: service) == nil)
        #expect(PodEndpointInfo.hostname(F.pod("a"), for: service) == nil)
    }

    @Test func headlessServiceWithoutPortsStillListsAddresses() {
        let service = ServiceSpec(F.service(ports: [], clusterIP: "None"))
        let subsets = EndpointsBuilder.subsets(for: service, pods: [F.pod("a")])
        #expect(subsets == [EndpointSubset(addresses: [address("a", "10.244.0.5")])])
        let endpoints = EndpointsBuilder.desired(current: nil, service: service, subsets: subsets, triggerTime: nil)
        #expect(endpoints?[path: ["metadata", "labels", ServiceSpec.headlessLabel]] == .string(""))
    }

    @Test func repackingMergesPortsOfTheSameAddressesAndNotReadyWins() {
        let a = address("a", "10.0.0.1"), b = address("b", "10.0.0.2")
        let http = EndpointSubset.Port(name: "http", port: 80, proto: "TCP")
        let https = EndpointSubset.Port(name: "https", port: 443, proto: "TCP")
        let packed = EndpointSubsetPacking.repack([
            EndpointSubset(addresses: [b], ports: [https]), EndpointSubset(addresses: [a], ports: [http]),
            EndpointSubset(addresses: [a], ports: [https]), EndpointSubset(notReadyAddresses: [b], ports: [http]),
            EndpointSubset(addresses: [b], ports: [http]),
        ])
        #expect(packed == [EndpointSubset(addresses: [a], notReadyAddresses: [b], ports: [http]),
                           EndpointSubset(addresses: [a, b], ports: [https])])
    }

    @Test func endpointsObjectCarriesLabelsAndTriggerTimeAndIsNotRewritten() throws {
        let service = ServiceSpec(F.service(labels: ["team": "a"]))
        let subsets = EndpointsBuilder.subsets(for: service, pods: [F.pod("a")])
        let trigger = try #require(KubeTime.parse("2024-01-01T00:01:00Z"))
        let created = try #require(EndpointsBuilder.desired(current: nil, service: service, subsets: subsets, triggerTime: trigger))
        #expect(created["kind"] == .string("Endpoints"))
        #expect(created[path: ["metadata", "name"]] == .string("web"))
        #expect(created[path: ["metadata", "labels"]] == .object(["team": .string("a")]))
        #expect(created[path: ["metadata", "annotations", EndpointsBuilder.triggerTimeAnnotation]] == .string("2024-01-01T00:01:00Z"))
        #expect(created[path: ["metadata", "ownerReferences"]] == nil)
        // Stored as written, the same state needs no write, whatever the trigger time says.
        #expect(EndpointsBuilder.desired(current: created, service: service, subsets: subsets, triggerTime: Date()) == nil)
        // A label change on the Service is a change.
        let relabelled = ServiceSpec(F.service(labels: ["team": "b"]))
        #expect(EndpointsBuilder.desired(current: created, service: relabelled, subsets: subsets, triggerTime: nil)?[path: ["metadata", "labels", "team"]] == .string("b"))
        // New subsets replace the old ones; no trigger time clears the annotation.
        let more = EndpointsBuilder.subsets(for: service, pods: [F.pod("a"), F.pod("b", ip: "10.244.0.6")])
        let updated = try #require(EndpointsBuilder.desired(current: created, service: service, subsets: more, triggerTime: nil))
        #expect(updated[path: ["subsets"]]?.array?.first?["addresses"]?.array?.count == 2)
        #expect(updated[path: ["metadata", "annotations", EndpointsBuilder.triggerTimeAnnotation]] == nil)
    }

    @Test func overCapacityTruncatesNotReadyFirst() {
        let port = [EndpointSubset.Port(name: "", port: 80, proto: "TCP")]
        let ready = (0..<900).map { EndpointSubset.Address(ip: "10.1.\($0 / 256).\($0 % 256)") }
        let notReady = (0..<300).map { EndpointSubset.Address(ip: "10.2.\($0 / 256).\($0 % 256)") }
        let (kept, truncated) = EndpointsBuilder.truncate([EndpointSubset(addresses: ready, notReadyAddresses: notReady, ports: port)])
        #expect(truncated)
        #expect(kept[0].addresses.count == 900)
        #expect(kept[0].notReadyAddresses.count == 100)
        let service = ServiceSpec(F.service())
        let full = EndpointSubsetPacking.repack([EndpointSubset(addresses: ready, notReadyAddresses: notReady, ports: port)])
        let endpoints = EndpointsBuilder.desired(current: nil, service: service, subsets: full, triggerTime: nil)
        #expect(endpoints?[path: ["metadata", "annotations", EndpointsBuilder.overCapacityAnnotation]] == .string("truncated"))
        // Stored truncated, the same pods need no rewrite.
        let rewrite = EndpointsBuilder.desired(current: endpoints, service: service, subsets: full, triggerTime: nil)
        #expect(rewrite.map { _ in "rewritten" } == nil)
    }

    @Test func triggerTimeIsCreationFirstThenTheEarliestNewChange() throws {
        let service = ServiceSpec(F.service())
        let first = TriggerTimeTracker.compute(previous: nil, service: service, pods: [F.pod("a")])
        #expect(first.0 == KubeTime.parse("2024-01-01T00:00:00Z"))
        let same = TriggerTimeTracker.compute(previous: first.1, service: service, pods: [F.pod("a")])
        #expect(same.0 == nil)
        let changed = TriggerTimeTracker.compute(previous: same.1, service: service, pods: [
            F.pod("a", readySince: "2024-01-01T00:03:00Z"), F.pod("b", readySince: "2024-01-01T00:02:00Z")])
        #expect(changed.0 == KubeTime.parse("2024-01-01T00:02:00Z"))
    }

    @Test func membershipFollowsSelectors() {
        let services = [F.service("web"), F.service("api", selector: "api"), F.service("manual", selector: nil)]
        #expect(ServiceMembership.services(selecting: F.pod("a"), among: services) == [ObjectKey(namespace: "default", name: "web")])
        #expect(ServiceMembership.services(selecting: F.pod("b", app: "other"), among: services).isEmpty)
        #expect(!ServiceSpec(F.service(selector: nil)).isManaged)
    }
}
