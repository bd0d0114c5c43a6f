import Foundation
import Hummingbird
import KubeCore
import Logging
import NIOCore
@testable import KetchAPIServer

/// A ``ResourceHandler`` over a fresh in-memory etcd (real compare-and-swap) holding some
/// namespaces, with helpers to call it as the HTTP routes do and read what it answers.
struct HandlerFixture {
    let handler: ResourceHandler

    /// A handler whose store holds `namespaces`.
    init(namespaces: [String] = ["default"]) async throws {
        let backend = InMemoryRegistryBackend()
        let store = RegistryObjectStore(backend: backend)
        for namespace in namespaces {
            _ = try await store.create(BuiltinResources.namespaces, .object(["metadata": .object(["name": .string(namespace)])]))
        }
        let logger = Logger(label: "test")
        let mirror = PrefixMirror(backend: backend, prefixes: ResourceRegistry.prefixes(root: store.root), logger: logger)
        handler = ResourceHandler(store: store, registry: ResourceRegistry(mirror: mirror),
                                  services: ServiceIPAllocator(cidr: "10.0.0.0/24"), logger: logger)
    }

    /// The in-memory backend (compaction on demand).
    var backend: InMemoryRegistryBackend { handler.store.backend as! InMemoryRegistryBackend }

    /// POST of `json` to the collection of `type`, as `kubectl create` sends it.
    @discardableResult
    func create(_ type: ResourceType, namespace: String? = "default", _ json: String, query: String = "") async throws -> JSONValue {
        try await handler.createObject(type, namespace: type.namespaced ? namespace : nil, query: RequestQuery(raw: query),
                                       body: Array(json.utf8), contentType: "application/json")
    }

    /// A pod with one container; `extra` is spliced into its spec.
    @discardableResult
    func pod(_ name: String, namespace: String = "default", spec extra: String = "", metadata: String = "") async throws -> JSONValue {
        let spec = #"{"containers":[{"name":"c","image":"nginx"}]"# + (extra.isEmpty ? "" : "," + extra) + "}"
        let meta = #"{"name":"\#(name)""# + (metadata.isEmpty ? "" : "," + metadata) + "}"
        return try await create(BuiltinResources.pods, namespace: namespace, #"{"apiVersion":"v1","kind":"Pod","metadata":\#(meta),"spec":\#(spec)}"#)
    }

    /// The stored object, nil when there is none.
    func get(_ type: ResourceType, _ name: String, namespace: String? = "default") async throws -> JSONValue? {
        try await handler.store.get(type, namespace: type.namespaced ? namespace : nil, name: name)
    }

    /// DELETE with `options` as a JSON body (and `query`), as kubectl sends it.
    func delete(_ type: ResourceType, _ name: String, namespace: String? = "default", options: String = "",
                query: String = "") async throws -> (code: Int, body: JSONValue) {
        let response = try await handler.delete(type, namespace: type.namespaced ? namespace : nil, name: name,
                                                query: RequestQuery(raw: query), body: Array(options.utf8))
        return (Int(response.status.code), try await Self.json(response))
    }

    /// The thrown status of `work`, nil when it succeeded.
    func status(_ work: () async throws -> Void) async -> KubeStatus? {
        do {
            try await work()
            return nil
        } catch let status as KubeStatus {
            return status
        } catch {
            return KubeStatus.internalError("unexpected \(error)")
        }
    }

    /// A response's body as JSON.
    static func json(_ response: Response) async throws -> JSONValue {
        let collector = BodyCollector()
        try await response.body.write(collector)
        return try JSONValue(parsing: Data(collector.buffer.readableBytesView))
    }
}

/// Gathers a response body in memory.
private final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    var buffer = ByteBuffer()

    func write(_ part: ByteBuffer) async throws {
        var part = part
        buffer.writeBuffer(&part)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

extension JSONValue {
    /// Parses test JSON text; traps on a typo in the test itself.
    init(json text: String) {
        self = try! JSONValue(parsing: Data(text.utf8))
    }

    /// `metadata.finalizers` as strings.
    var finalizerNames: [String] { (self["metadata"]?["finalizers"]?.array ?? []).compactMap(\.string) }
}
