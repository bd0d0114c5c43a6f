import EtcdKeySpace
import EtcdProto
import Foundation

/// Order of a range's results (`RangeRequest.SortOrder`).
public enum EtcdSortOrder: Sendable, Hashable {
    case none, ascend, descend
}

/// What a range is sorted by (`RangeRequest.SortTarget`).
public enum EtcdSortTarget: Sendable, Hashable {
    case key, version, create, mod, value
}

/// A range read's answer.
public struct EtcdRangeResult: Sendable, Hashable {
    public var header: EtcdResponseHeader
    /// The keys (empty with `countOnly`; values empty with `keysOnly`).
    public var kvs: [EtcdKeyValue]
    /// Whether more keys matched than `limit` allowed.
    public var more: Bool
    /// How many keys matched in all.
    public var count: Int64
}

/// A put's answer.
public struct EtcdPutResult: Sendable, Hashable {
    public var header: EtcdResponseHeader
    /// The key before the put, when `prevKV` was asked for and the key existed.
    public var prevKV: EtcdKeyValue?
}

/// A delete's answer.
public struct EtcdDeleteResult: Sendable, Hashable {
    public var header: EtcdResponseHeader
    public var deleted: Int64
    /// The deleted keys, when `prevKV` was asked for.
    public var prevKVs: [EtcdKeyValue]
}

/// Range ends as etcd's client computes them.
public enum EtcdKeys {
    /// The end of the range of all keys with `prefix`: the prefix with its last byte below 0xff
    /// incremented (and what follows dropped); `[0]` (every key) when there is none.
    public static func prefixEnd(of prefix: [UInt8]) -> [UInt8] { prefixRangeEnd(prefix) }

    /// A range end meaning "every key from `key` on" (`WithFromKey`).
    public static let fromKeyEnd: [UInt8] = [0]
}

extension EtcdClient {
    /// The end of the range of keys with `prefix` (see ``EtcdKeys/prefixEnd(of:)``).
    public static func prefixEnd(of prefix: [UInt8]) -> [UInt8] { EtcdKeys.prefixEnd(of: prefix) }

    /// Reads keys: one key (`end` nil), `[key, end)`, or from `key` on (`end == [0]`).
    ///
    /// - Parameters:
    ///   - limit: at most this many keys (0: no limit).
    ///   - revision: read at this revision (0: the latest).
    ///   - serializable: read from the member's local state without a quorum round.
    ///   - minModRevision ... maxCreateRevision: filters (0: none).
    public func range(
        key: [UInt8], end: [UInt8]? = nil, limit: Int64 = 0, revision: Int64 = 0,
        keysOnly: Bool = false, countOnly: Bool = false, serializable: Bool = false,
        sortOrder: EtcdSortOrder = .none, sortTarget: EtcdSortTarget = .key,
        minModRevision: Int64 = 0, maxModRevision: Int64 = 0,
        minCreateRevision: Int64 = 0, maxCreateRevision: Int64 = 0
    ) async throws -> EtcdRangeResult {
        var r = EtcdOp.rangeRequest(key: key, end: end, limit: limit, revision: revision, keysOnly: keysOnly,
                                    countOnly: countOnly)
        r.serializable = serializable
        r.sortOrder = sortOrder.wire
        r.sortTarget = sortTarget.wire
        r.minModRevision = minModRevision
        r.maxModRevision = maxModRevision
        r.minCreateRevision = minCreateRevision
        r.maxCreateRevision = maxCreateRevision
        let response = try await rpc(r)
        return EtcdRangeResult(response)
    }

    /// One key's current state, or nil when it does not exist.
    public func get(_ key: [UInt8]) async throws -> EtcdKeyValue? {
        try await range(key: key).kvs.first
    }

    /// One key's current state, or nil when it does not exist.
    public func get(_ key: String) async throws -> EtcdKeyValue? {
        try await get(Array(key.utf8))
    }

    /// Every key starting with `prefix` (sorted by key).
    public func list(prefix: [UInt8], limit: Int64 = 0, revision: Int64 = 0) async throws -> EtcdRangeResult {
        try await range(key: prefix, end: EtcdKeys.prefixEnd(of: prefix), limit: limit, revision: revision)
    }

    /// Writes `value` under `key`, optionally attached to `lease`.
    @discardableResult
    public func put(key: [UInt8], value: [UInt8], lease: Int64 = 0, prevKV: Bool = false,
                    ignoreValue: Bool = false, ignoreLease: Bool = false) async throws -> EtcdPutResult {
        let request = EtcdOp.putRequest(key: key, value: value, lease: lease, prevKV: prevKV,
                                        ignoreValue: ignoreValue, ignoreLease: ignoreLease)
        let response = try await rpc(request)
        return EtcdPutResult(response)
    }

    /// Writes a UTF-8 `value` under a UTF-8 `key`.
    @discardableResult
    public func put(_ key: String, _ value: String, lease: Int64 = 0) async throws -> EtcdPutResult {
        try await put(key: Array(key.utf8), value: Array(value.utf8), lease: lease)
    }

    /// Deletes one key (`end` nil), `[key, end)`, or every key from `key` on (`end == [0]`).
    @discardableResult
    public func delete(key: [UInt8], end: [UInt8]? = nil, prevKV: Bool = false) async throws -> EtcdDeleteResult {
        let request = EtcdOp.deleteRequest(key: key, end: end, prevKV: prevKV)
        let response = try await rpc(request)
        return EtcdDeleteResult(response)
    }

    /// Compacts the key-value history up to `revision` (`physical`: wait until it is on disk).
    @discardableResult
    public func compact(revision: Int64, physical: Bool = false) async throws -> EtcdResponseHeader {
        var r = Etcdserverpb_CompactionRequest()
        r.revision = revision
        r.physical = physical
        let response = try await rpc(r)
        return EtcdResponseHeader(response.header)
    }
}

// MARK: - Wire conversions

extension EtcdSortOrder {
    var wire: Etcdserverpb_RangeRequest.SortOrder {
        switch self {
        case .none: .none
        case .ascend: .ascend
        case .descend: .descend
        }
    }
}

extension EtcdSortTarget {
    var wire: Etcdserverpb_RangeRequest.SortTarget {
        switch self {
        case .key: .key
        case .version: .version
        case .create: .create
        case .mod: .mod
        case .value: .value
        }
    }
}

extension EtcdRangeResult {
    public init(_ r: Etcdserverpb_RangeResponse) {
        self.init(header: EtcdResponseHeader(r.header), kvs: r.kvs.map(EtcdKeyValue.init), more: r.more, count: r.count)
    }
}

extension EtcdPutResult {
    public init(_ r: Etcdserverpb_PutResponse) {
        self.init(header: EtcdResponseHeader(r.header), prevKV: r.hasPrevKv ? EtcdKeyValue(r.prevKv) : nil)
    }
}

extension EtcdDeleteResult {
    public init(_ r: Etcdserverpb_DeleteRangeResponse) {
        self.init(header: EtcdResponseHeader(r.header), deleted: r.deleted, prevKVs: r.prevKvs.map(EtcdKeyValue.init))
    }
}
