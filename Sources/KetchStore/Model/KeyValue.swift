import Foundation

/// A key's state at one revision, as etcd's `mvccpb.KeyValue` carries it.
public struct KeyValue: Sendable, Equatable {
    public var key: Data
    public var value: Data
    /// The revision of the put that created this generation of the key.
    public var createRevision: Int64
    /// The revision of the last change to the key.
    public var modRevision: Int64
    /// The number of puts since the key was (re)created.
    public var version: Int64
    /// The lease attached to the key, or 0.
    public var lease: Int64

    public init(key: Data, value: Data, createRevision: Int64, modRevision: Int64, version: Int64, lease: Int64) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.lease = lease
    }
}

/// One change committed to the store, in revision order; the unit watchers receive.
public struct ChangeEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case put
        case delete
    }

    public var kind: Kind
    /// For a put, the new state; for a delete, the key with `modRevision` of the delete and version 0.
    public var kv: KeyValue
    /// The key's state before the change, if it existed.
    public var prevKV: KeyValue?

    public init(kind: Kind, kv: KeyValue, prevKV: KeyValue?) {
        self.kind = kind
        self.kv = kv
        self.prevKV = prevKV
    }
}
