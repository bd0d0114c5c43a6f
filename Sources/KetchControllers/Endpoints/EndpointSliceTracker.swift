import KubeCore
import Synchronization

/// The EndpointSlices this controller wrote or deleted, per Service, so a reconcile that reads
/// an informer cache older than those writes waits instead of creating duplicates
/// (k8s.io/endpointslice `EndpointSliceTracker`). Upstream compares generations; Ketch compares
/// resourceVersions, which grow with every write to a slice.
final class EndpointSliceTracker: Sendable {
    /// What is known of one slice: the version written, or that its deletion is awaited.
    enum Expectation: Sendable, Equatable {
        case version(Int)
        case deletion
    }

    private let expectations = Mutex([ObjectKey: [String: Expectation]]())

    /// Records a slice this controller created or updated, as the apiserver returned it.
    func written(_ slice: JSONValue, service: ObjectKey) {
        guard let version = Self.version(slice) else { return }
        expectations.withLock { $0[service, default: [:]][ObjectMetadata.uid(slice)] = .version(version) }
    }

    /// Records a slice this controller deleted.
    func deleted(_ slice: JSONValue, service: ObjectKey) {
        expectations.withLock { $0[service, default: [:]][ObjectMetadata.uid(slice)] = .deletion }
    }

    /// An informer saw `slice` go: nothing more to wait for.
    func observedDeletion(_ slice: JSONValue) {
        guard let service = Self.service(of: slice) else { return }
        expectations.withLock { s in
            s[service]?.removeValue(forKey: ObjectMetadata.uid(slice))
            if s[service]?.isEmpty == true { s.removeValue(forKey: service) }
        }
    }

    /// Forgets a deleted Service.
    func forget(_ service: ObjectKey) {
        _ = expectations.withLock { $0.removeValue(forKey: service) }
    }

    /// Whether `slices` (the cache's view of the Service's slices) misses one of this
    /// controller's writes: a slice deleted but still listed, listed at an older version, or
    /// written but not listed.
    func isStale(_ slices: [JSONValue], service: ObjectKey) -> Bool {
        guard let expected = expectations.withLock({ $0[service] }) else { return false }
        var listed: Set<String> = []
        for slice in slices {
            let uid = ObjectMetadata.uid(slice)
            listed.insert(uid)
            switch expected[uid] {
            case .deletion?: return true
            case .version(let version)?: if let seen = Self.version(slice), seen < version { return true }
            case nil: break
            }
        }
        return expected.contains { uid, expectation in expectation != .deletion && !listed.contains(uid) }
    }

    /// The Service a slice belongs to, from its namespace and `kubernetes.io/service-name`.
    static func service(of slice: JSONValue) -> ObjectKey? {
        guard let name = ObjectMetadata.labels(slice)[EndpointSliceLabels.serviceName], !name.isEmpty else { return nil }
        return ObjectKey(namespace: ObjectMetadata.namespace(slice), name: name)
    }

    private static func version(_ slice: JSONValue) -> Int? {
        slice[path: ["metadata", "resourceVersion"]]?.string.flatMap { Int($0) }
    }
}
