import KubeClient
import KubeCore

extension ControllerContext {
    /// The object at `key` as the apiserver has it now (not the cache), nil when it is gone.
    func fetch(_ type: ResourceType, _ key: ObjectKey) async throws -> JSONValue? {
        try await api.getIfPresent(type, namespace: key.namespace, name: key.name)
    }
}
