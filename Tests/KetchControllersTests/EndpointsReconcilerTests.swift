import Foundation
@testable import KetchControllers
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

/// The endpoints and endpointslice controllers against the in-memory apiserver.
@Suite struct EndpointsReconcilerTests {
    typealias F = EndpointsFixtures
    typealias G = GarbageCollectorFixtures
    let services = BuiltinResources.services
    let pods = BuiltinResources.pods
    let endpoints = BuiltinResources.endpoints
    let slices = BuiltinResources.endpointSlices

    /// Both controllers, over `api` seeded with node `n1`.
    func controllers(_ api: FakeKubeAPI) async -> (ControllerContext, [any Runnable]) {
        await api.seed(BuiltinResources.nodes, G.object("v1", "Node", "n1", namespace: nil))
        let context = G.context(api)
        let runnables = (EndpointsReconciler.descriptor.make(context) + EndpointSliceReconciler.descriptor.make(context))
        return (context, runnables)
    }

    func addresses(_ api: FakeKubeAPI) async -> [String] {
        let stored = await api.object(endpoints, namespace: "default", name: "web")
        return EndpointSubset.parse(stored).flatMap(\.addresses).map(\.ip)
    }

    func sliceAddresses(_ api: FakeKubeAPI) async -> [String] {
        await api.objects(slices).flatMap { EndpointSliceDraft.endpoints(of: $0) }.filter { $0.ready == true }.flatMap(\.addresses).sorted()
    }

    @Test func serviceGetsEndpointsAndSlicesThatFollowItsPods() async throws {
        let api = FakeKubeAPI()
        let (context, runnables) = await controllers(api)
        await api.seed(services, F.service())
        await api.seed(pods, F.pod("a", ip: "10.244.0.5"))
        await api.seed(pods, F.pod("other", app: "db", ip: "10.244.0.9"))
        let followed = try await G.running(context, runnables) {
            let first = await G.eventually {
                let (ips, sliceIPs) = (await addresses(api), await sliceAddresses(api))
                return ips == ["10.244.0.5"] && sliceIPs == ["10.244.0.5"]
            }
            #expect(first)
            // First sync of a Service: its creation is the trigger.
            let created = await api.object(endpoints, namespace: "default", name: "web")
            #expect(created?[path: ["metadata", "annotations", "endpoints.kubernetes.io/last-change-trigger-time"]] == .string("2024-01-01T00:00:00Z"))
            // A second pod turns ready: both objects follow.
            await api.seed(pods, F.pod("b", ip: "10.244.0.6"))
            let second = await G.eventually {
                let (ips, sliceIPs) = (await addresses(api), await sliceAddresses(api))
                return ips == ["10.244.0.5", "10.244.0.6"] && sliceIPs == ["10.244.0.5", "10.244.0.6"]
            }
            #expect(second)
            // Once settled, nothing more is written (no write loops).
            try await Task.sleep(for: .milliseconds(300))
            await api.clearActions()
            await api.seed(pods, F.pod("b", ip: "10.244.0.6"))  // a pod update that changes nothing
            try await Task.sleep(for: .milliseconds(500))
            let writes = await api.writes.filter { $0.resource == "endpoints" || $0.resource == "endpointslices" }
            #expect(writes.isEmpty, "\(writes)")
            // The pod leaves the selector: it leaves both objects.
            await api.seed(pods, F.pod("b", app: "db", ip: "10.244.0.6"))
            return await G.eventually {
                let (ips, sliceIPs) = (await addresses(api), await sliceAddresses(api))
                return ips == ["10.244.0.5"] && sliceIPs == ["10.244.0.5"]
            }
        }
        #expect(followed)
        let slice = try #require(await api.objects(slices).first)
        #expect(ObjectMetadata.name(slice).hasPrefix("web-"))
        #expect(await api.objects(slices).count == 1)
        // A pod leaving changes no pod's readiness: upstream then clears the trigger time.
        let stored = try #require(await api.object(endpoints, namespace: "default", name: "web"))
        #expect(stored[path: ["metadata", "annotations", "endpoints.kubernetes.io/last-change-trigger-time"]] == nil)
    }

    @Test func selectorlessServicesAreLeftAlone() async throws {
        let api = FakeKubeAPI()
        let (context, runnables) = await controllers(api)
        await api.seed(services, F.service("kubernetes", selector: nil, ports: [("https", 443, .integer(6443))]))
        let manual = await api.seed(endpoints, G.object("v1", "Endpoints", "kubernetes"))
        await api.seed(services, F.service())
        let settled = await G.running(context, runnables) {
            await G.eventually { await api.object(endpoints, namespace: "default", name: "web") != nil }
        }
        #expect(settled)
        #expect(await api.object(endpoints, namespace: "default", name: "kubernetes") == manual)
        let names = await api.objects(slices).compactMap { ObjectMetadata.labels($0)[EndpointSliceLabels.serviceName] }
        #expect(names == ["web"])
    }

    @Test func deletedServiceTakesItsEndpointsAlong() async throws {
        let api = FakeKubeAPI()
        let (context, runnables) = await controllers(api)
        await api.seed(services, F.service())
        await api.seed(pods, F.pod("a"))
        let gone = try await G.running(context, runnables) {
            let created = await G.eventually { await api.object(endpoints, namespace: "default", name: "web") != nil }
            #expect(created)
            try await api.delete(services, namespace: "default", name: "web", options: KubeDeleteOptions())
            return await G.eventually { await api.object(endpoints, namespace: "default", name: "web") == nil }
        }
        #expect(gone)
    }

    @Test func descriptorNames() {
        #expect(EndpointsReconciler.descriptor.name == "endpoints-controller")
        #expect(EndpointsReconciler.descriptor.aliases == ["endpoint"])
        #expect(EndpointSliceReconciler.descriptor.name == "endpointslice-controller")
        #expect(EndpointSliceReconciler.descriptor.aliases == ["endpointslice"])
    }
}
