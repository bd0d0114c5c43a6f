import KubeCore

/// Kubernetes objects at their /registry keys, as kube-apiserver's storage layer keeps them:
/// JSON values, `metadata.resourceVersion` = the key's mod revision (filled on read, cleared
/// before write), optimistic concurrency on update and delete.
///
/// Raw storage only: no defaulting, no uid or timestamps; callers that create objects fill those.
public protocol ObjectStore: Sendable {
    /// The object, or nil when there is none.
    func get(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue?
    /// Stores a new object; throws `KubeStatus.alreadyExists` when the key is taken.
    func create(_ type: ResourceType, _ object: JSONValue) async throws -> JSONValue
    /// Replaces an object. When `metadata.resourceVersion` is set it must be the stored one,
    /// else `KubeStatus.conflict`; `KubeStatus.notFound` when absent.
    func update(_ type: ResourceType, _ object: JSONValue) async throws -> JSONValue
    /// Removes an object and returns what was stored; nil when there was none.
    func delete(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue?
    /// Every object of a type (in one namespace when given) and the list's resourceVersion.
    func list(_ type: ResourceType, namespace: String?) async throws -> (items: [JSONValue], resourceVersion: String)
}
