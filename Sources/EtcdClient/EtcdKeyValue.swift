import EtcdProto
import Foundation

/// One key's state at a revision (etcd's `mvccpb.KeyValue`).
public struct EtcdKeyValue: Sendable, Hashable {
    public var key: [UInt8]
    public var value: [UInt8]
    /// Revision of the key's creation (of its current incarnation).
    public var createRevision: Int64
    /// Revision of the key's last change.
    public var modRevision: Int64
    /// Number of changes since creation (1 after the first put; 0 for a deleted key).
    public var version: Int64
    /// Lease ID attached to the key, 0 for none.
    public var lease: Int64

    public init(key: [UInt8], value: [UInt8] = [], createRevision: Int64 = 0, modRevision: Int64 = 0,
                version: Int64 = 0, lease: Int64 = 0) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.lease = lease
    }

    /// The key as UTF-8 text (invalid bytes are replaced).
    public var keyString: String { String(decoding: key, as: UTF8.self) }
    /// The value as UTF-8 text (invalid bytes are replaced).
    public var valueString: String { String(decoding: value, as: UTF8.self) }
}

/// The header of every etcd response.
public struct EtcdResponseHeader: Sendable, Hashable {
    public var clusterID: UInt64
    public var memberID: UInt64
    /// The store's revision when the request was applied.
    public var revision: Int64
    public var raftTerm: UInt64

    public init(clusterID: UInt64 = 0, memberID: UInt64 = 0, revision: Int64 = 0, raftTerm: UInt64 = 0) {
        self.clusterID = clusterID
        self.memberID = memberID
        self.revision = revision
        self.raftTerm = raftTerm
    }
}

// MARK: - Wire conversions

extension EtcdKeyValue {
    public init(_ kv: Mvccpb_KeyValue) {
        self.init(key: Array(kv.key), value: Array(kv.value), createRevision: kv.createRevision,
                  modRevision: kv.modRevision, version: kv.version, lease: kv.lease)
    }
}

extension EtcdResponseHeader {
    public init(_ h: Etcdserverpb_ResponseHeader) {
        self.init(clusterID: h.clusterID, memberID: h.memberID, revision: h.revision, raftTerm: h.raftTerm)
    }
}
