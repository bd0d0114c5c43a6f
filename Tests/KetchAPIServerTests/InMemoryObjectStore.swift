import KubeCore
@testable import KetchAPIServer

/// The kubelet tests' store: the apiserver's own object store over an in-memory backend, so
/// they exercise the one storage seam (``RegistryBackend``) the server has.
typealias InMemoryObjectStore = RegistryObjectStore

extension RegistryObjectStore {
    /// A store over a fresh ``InMemoryRegistryBackend``.
    init() {
        self.init(backend: InMemoryRegistryBackend())
    }

    /// Makes every call fail with `error` (an etcd outage), or work again with nil.
    func setFailure(_ error: (any Error & Sendable)?) async {
        (backend as? InMemoryRegistryBackend)?.setFailure(error)
    }
}
