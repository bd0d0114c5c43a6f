import EtcdKeySpace
/// The key-value operations kube-apiserver's storage layer needs from etcd, and nothing more.
///
/// A small seam in the manner of kine's `pkg/server`: the object store above it holds the
/// Kubernetes rules, the backend below it only moves bytes with revisions, so an in-memory
/// backend can stand in for etcd in unit tests.
public protocol RegistryBackend: Sendable {
    /// The current value of one key, or nil.
    func get(_ key: String) async throws -> StoredValue?
    /// Keys in `[start, end)` at `revision` (0 = latest), at most `limit` (0 = all).
    func range(start: String, end: String, limit: Int, revision: Int64) async throws -> RangePage
    /// How many keys are in `[start, end)` at `revision` (0 = latest), without reading their values.
    func count(start: String, end: String, revision: Int64) async throws -> Int
    /// Stores `value` when the key does not exist; nil when it does.
    func create(_ key: String, value: [UInt8]) async throws -> Int64?
    /// Replaces the value when the key's mod revision is `expected`; else `.conflict` with what is stored.
    func update(_ key: String, value: [UInt8], expected: Int64) async throws -> WriteOutcome
    /// Deletes the key when its mod revision is `expected`; else `.conflict`.
    func delete(_ key: String, expected: Int64) async throws -> WriteOutcome
    /// Changes to keys in `[start, end)` after revision `after`, with previous values.
    /// Throws ``RegistryBackendError/compacted(_:)`` when `after + 1` is compacted.
    func watch(start: String, end: String, after: Int64) -> AsyncThrowingStream<[RegistryEvent], any Error>
    /// The store's current revision.
    func currentRevision() async throws -> Int64
}

/// A value with the revisions that make it a resourceVersion.
public struct StoredValue: Sendable, Equatable {
    /// The etcd key.
    public var key: String
    /// The stored bytes (JSON).
    public var value: [UInt8]
    /// The revision of the last change: the object's resourceVersion.
    public var modRevision: Int64
    /// Creates a stored value.
    public init(key: String, value: [UInt8], modRevision: Int64) {
        self.key = key
        self.value = value
        self.modRevision = modRevision
    }
}

/// One page of a range read.
public struct RangePage: Sendable {
    /// The values, in key order.
    public var values: [StoredValue]
    /// Whether keys remain after the last one returned.
    public var more: Bool
    /// The revision the page was read at.
    public var revision: Int64
    /// Creates a page.
    public init(values: [StoredValue], more: Bool, revision: Int64) {
        self.values = values
        self.more = more
        self.revision = revision
    }
}

/// How a conditional write ended.
public enum WriteOutcome: Sendable, Equatable {
    /// Written at this revision.
    case written(revision: Int64)
    /// The condition failed; what is stored now (nil when the key is gone).
    case conflict(current: StoredValue?)
}

/// One change seen by a watch.
public struct RegistryEvent: Sendable {
    /// Whether the key was written or deleted.
    public enum Kind: Sendable { case put, delete }
    /// What happened.
    public var kind: Kind
    /// The key and, for puts, its new value; for deletes the value is empty and
    /// `modRevision` is the deletion's revision.
    public var value: StoredValue
    /// The value before the change, when there was one.
    public var previous: StoredValue?
    /// Creates an event.
    public init(kind: Kind, value: StoredValue, previous: StoredValue?) {
        self.kind = kind
        self.value = value
        self.previous = previous
    }
}

/// Failures the object store turns into Kubernetes statuses.
public enum RegistryBackendError: Error, Sendable, Equatable {
    /// The requested revision is older than the compacted one.
    case compacted(compactRevision: Int64)
    /// The backend does not answer.
    case unavailable(String)
}

extension String {
    /// The smallest key greater than every key that starts with `self`: etcd's prefix range end.
    var prefixRangeEnd: String { EtcdKeySpace.prefixRangeEnd(self) }
}
