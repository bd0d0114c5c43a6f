import Foundation
import KubeCore
import Logging
import Testing
@testable import KetchAPIServer

/// ClusterIP allocation through the create handler, over an in-memory etcd with real
/// compare-and-swap semantics.
@Suite struct ServiceIPAllocatorTests {
    /// A resource handler over a fresh in-memory store holding the `default` namespace, with a
    /// small range (62 addresses) so that lost races would show.
    static func handler(cidr: String = "10.0.0.0/26") async throws -> ResourceHandler {
        let backend = InMemoryRegistryBackend()
        let store = RegistryObjectStore(backend: backend)
        _ = try await store.create(BuiltinResources.namespaces, .object(["metadata": .object(["name": .string("default")])]))
        let logger = Logger(label: "test")
        let mirror = PrefixMirror(backend: backend, prefixes: ResourceRegistry.prefixes(root: store.root), logger: logger)
        return ResourceHandler(store: store, registry: ResourceRegistry(mirror: mirror),
                               services: ServiceIPAllocator(cidr: cidr), logger: logger)
    }

    /// Creates a Service as `POST /api/v1/namespaces/default/services` would; returns its cluster IP.
    static func create(_ handler: ResourceHandler, _ name: String, clusterIP: String? = nil) async throws -> String {
        var spec: [String: JSONValue] = ["ports": .array([.object(["port": .integer(80)])])]
        if let clusterIP { spec["clusterIP"] = .string(clusterIP) }
        let service: JSONValue = .object([
            "apiVersion": .string("v1"), "kind": .string("Service"),
            "metadata": .object(["name": .string(name)]), "spec": .object(spec),
        ])
        let stored = try await handler.createObject(BuiltinResources.services, namespace: "default", query: RequestQuery(pairs: []),
                                                    body: Array(try service.encoded()), contentType: "application/json")
        return stored["spec"]?["clusterIP"]?.string ?? ""
    }

    /// The offsets the stored RangeAllocation marks taken.
    static func taken(_ handler: ResourceHandler) async throws -> [Int] {
        let stored = try #require(try await handler.store.backend.get("/registry/ranges/serviceips"))
        let object = try RegistryObjectStore.decode(stored)
        #expect(object["range"]?.string == handler.services.cidr)
        let bitmap = try #require(AllocationBitmap(base64: object["data"]?.string ?? ""))
        return handler.services.offsets.filter(bitmap.contains)
    }

    @Test func fiftyConcurrentCreatesGetDistinctIPs() async throws {
        let handler = try await Self.handler()
        let ips = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<50 {
                group.addTask { try await Self.create(handler, "svc-\(i)") }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(ips.count == 50)
        #expect(Set(ips).count == 50, "duplicate cluster IPs: \(ips.sorted())")
        #expect(ips.allSatisfy { handler.services.offset(of: $0) != nil && $0 != handler.services.first })
        #expect(try await Self.taken(handler).map(handler.services.address(at:)).sorted() == ips.sorted())
    }

    @Test func requestedIPIsClaimedOnceAndReleasedOnDelete() async throws {
        let handler = try await Self.handler()
        #expect(try await Self.create(handler, "a", clusterIP: "10.0.0.10") == "10.0.0.10")
        do {
            _ = try await Self.create(handler, "b", clusterIP: "10.0.0.10")
            Issue.record("a taken address was handed out twice")
        } catch let status as KubeStatus {
            #expect(status.code == 422)
            #expect(status.message == "Service \"b\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.0.0.10\"}: failed to allocate IP 10.0.0.10: provided IP is already allocated")
        }
        do {
            _ = try await Self.create(handler, "c", clusterIP: "10.0.1.10")
            Issue.record("an address outside the range was accepted")
        } catch let status as KubeStatus {
            #expect(status.code == 422)
            #expect(status.message.hasSuffix("the provided IP (10.0.1.10) is not in the valid range. The range of valid IPs is 10.0.0.0/26"))
        }
        // A refused create (the name is taken) gives its address back.
        await #expect(throws: KubeStatus.self) { try await Self.create(handler, "a", clusterIP: "10.0.0.11") }
        #expect(try await Self.taken(handler) == [9])

        _ = try await handler.delete(BuiltinResources.services, namespace: "default", name: "a", query: RequestQuery(pairs: []), body: [])
        #expect(try await Self.taken(handler).isEmpty)
        #expect(try await Self.create(handler, "b", clusterIP: "10.0.0.10") == "10.0.0.10")
        #expect(try await Self.create(handler, "headless", clusterIP: "None") == "None")
    }

    @Test func seededRangeKeepsTheKubernetesServiceAddress() async throws {
        let handler = try await Self.handler()
        let seed: JSONValue = .object([
            "apiVersion": .string("v1"), "kind": .string("RangeAllocation"), "metadata": .object(["name": .string("serviceips")]),
            "range": .string("10.0.0.0/26"), "data": .string("AQ=="),
        ])
        _ = try await handler.store.backend.create("/registry/ranges/serviceips", value: try RegistryObjectStore.encode(seed))
        await #expect(throws: KubeStatus.self) { try await Self.create(handler, "kubernetes", clusterIP: "10.0.0.1") }
        _ = try await Self.create(handler, "web")
        #expect(try await Self.taken(handler).count == 2)
        #expect(try await Self.taken(handler).first == 0)
    }

    @Test func repairMarksStoredServices() async throws {
        let handler = try await Self.handler()
        let service: JSONValue = .object(["metadata": .object(["name": .string("old"), "namespace": .string("default")]),
                                          "spec": .object(["clusterIP": .string("10.0.0.20")])])
        _ = try await handler.store.create(BuiltinResources.services, service)
        try await handler.services.repair(store: handler.store)
        #expect(try await Self.taken(handler) == [19])
    }

    @Test func bitmapIsGoBigIntBytes() throws {
        var bitmap = AllocationBitmap()
        bitmap.insert(0)
        #expect(bitmap.base64 == "AQ==")
        bitmap.insert(9)
        #expect(bitmap.base64 == Data([0x02, 0x01]).base64EncodedString())
        bitmap.remove(9)
        #expect(bitmap == AllocationBitmap(base64: "AQ=="))
        #expect(bitmap.firstFree(in: 0..<4, from: 0) == 1)
        for offset in 1..<4 { bitmap.insert(offset) }
        #expect(bitmap.firstFree(in: 0..<4, from: 2) == nil)
    }
}
