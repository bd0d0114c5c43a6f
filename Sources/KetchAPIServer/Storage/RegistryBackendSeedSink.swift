import KetchBootstrap

/// The apiserver's bootstrap-if-empty writes the /registry seed through its etcd client: one
/// create-if-absent per key, as kube-apiserver creates its bootstrap objects.
struct RegistryBackendSeedSink: RegistrySeedSink {
    let backend: any RegistryBackend

    func createAbsent(_ entries: [RegistrySeedEntry]) async throws -> Int {
        var written = 0
        for entry in entries {
            if try await backend.create(entry.key, value: Array(entry.value)) != nil { written += 1 }
        }
        return written
    }
}
