import KubeCore
@testable import KetchAPIServer

/// An `ObjectStore` in memory with etcd-like revisions: each write bumps a counter that becomes
/// the object's `metadata.resourceVersion`; updates with a stale one fail with a conflict.
actor InMemoryObjectStore: ObjectStore {
    private var objects: [String: JSONValue] = [:]
    private var revision = 1
    /// When set, every call throws it (an etcd outage).
    var failure: (any Error)?

    func setFailure(_ error: (any Error)?) { failure = error }

    /// Every stored key, sorted.
    var keys: [String] { objects.keys.sorted() }

    func get(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue? {
        if let failure { throw failure }
        return objects[type.key(namespace: namespace, name: name)]
    }

    func create(_ type: ResourceType, _ object: JSONValue) async throws -> JSONValue {
        if let failure { throw failure }
        let (key, name) = locate(type, object)
        guard objects[key] == nil else { throw KubeStatus.alreadyExists(type, name: name) }
        return store(key, object)
    }

    func update(_ type: ResourceType, _ object: JSONValue) async throws -> JSONValue {
        if let failure { throw failure }
        let (key, name) = locate(type, object)
        guard let current = objects[key] else { throw KubeStatus.notFound(type, name: name) }
        if let wanted = object["metadata"]?["resourceVersion"]?.string,
           wanted != current["metadata"]?["resourceVersion"]?.string {
            throw KubeStatus.conflict(type, name: name)
        }
        return store(key, object)
    }

    func delete(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue? {
        if let failure { throw failure }
        return objects.removeValue(forKey: type.key(namespace: namespace, name: name))
    }

    func list(_ type: ResourceType, namespace: String?) async throws -> (items: [JSONValue], resourceVersion: String) {
        if let failure { throw failure }
        let prefix = type.listPrefix(namespace: namespace)
        let items = objects.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.map(\.value)
        return (items, String(revision))
    }

    private func locate(_ type: ResourceType, _ object: JSONValue) -> (String, String) {
        let name = object["metadata"]?["name"]?.string ?? ""
        return (type.key(namespace: object["metadata"]?["namespace"]?.string, name: name), name)
    }

    private func store(_ key: String, _ object: JSONValue) -> JSONValue {
        revision += 1
        var stored = object
        var metadata = stored["metadata"]?.object ?? [:]
        metadata["resourceVersion"] = .string(String(revision))
        stored["metadata"] = .object(metadata)
        objects[key] = stored
        return stored
    }
}
