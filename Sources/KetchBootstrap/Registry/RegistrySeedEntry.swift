import Foundation

/// One key and value of the /registry seed, ready to store: what a `RegistrySeedSink` writes.
public struct RegistrySeedEntry: Sendable, Equatable {
    /// The full etcd key, under the chosen prefix (`/registry/namespaces/default`).
    public let key: String
    /// The stored bytes: compact JSON with sorted keys, as `RegistryObject.value()` encodes it.
    public let value: Data
}
