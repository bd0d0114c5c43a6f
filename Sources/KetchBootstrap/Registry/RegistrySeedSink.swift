/// Where the /registry seed is written: `ketch init` writes into the local store, the
/// apiserver's bootstrap-if-empty into its etcd. KetchBootstrap produces the entries; the sink
/// only stores them, so both take one seeding path (`RegistrySeed.preload(into:keyPrefix:)`)
/// and KetchBootstrap needs no store of its own.
public protocol RegistrySeedSink {
    /// Stores each entry whose key does not exist yet, as kube-apiserver creates objects
    /// (etcd's `create_revision == 0`): existing keys keep their value and revision, so a
    /// second run writes nothing.
    /// - Returns: how many entries were stored.
    func createAbsent(_ entries: [RegistrySeedEntry]) async throws -> Int
}
