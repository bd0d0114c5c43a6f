import EtcdProto
import Foundation

/// One condition of a transaction: compare a key's field with a value.
public struct EtcdCompare: Sendable, Hashable {
    /// What of the key is compared, and with what.
    public enum Target: Sendable, Hashable {
        case version(Int64)
        case createRevision(Int64)
        case modRevision(Int64)
        case value([UInt8])
        case lease(Int64)
    }

    /// How the key's field must relate to the target value.
    public enum Result: Sendable, Hashable {
        case equal, notEqual, less, greater
    }

    public var key: [UInt8]
    /// Compare every key in `[key, rangeEnd)` (nil: only `key`).
    public var rangeEnd: [UInt8]?
    public var target: Target
    public var result: Result

    public init(key: [UInt8], rangeEnd: [UInt8]? = nil, _ result: Result, _ target: Target) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.target = target
        self.result = result
    }

    /// `createRevision(key) == 0`: the key does not exist.
    public static func absent(_ key: [UInt8]) -> Self { Self(key: key, .equal, .createRevision(0)) }
    /// `modRevision(key) == revision`: nobody changed the key since `revision`.
    public static func modRevision(_ key: [UInt8], is revision: Int64) -> Self { Self(key: key, .equal, .modRevision(revision)) }
}

/// One operation inside a transaction.
public enum EtcdOp: Sendable, Hashable {
    case range(key: [UInt8], end: [UInt8]? = nil, limit: Int64 = 0, revision: Int64 = 0, keysOnly: Bool = false,
               countOnly: Bool = false)
    case put(key: [UInt8], value: [UInt8], lease: Int64 = 0, prevKV: Bool = false)
    case delete(key: [UInt8], end: [UInt8]? = nil, prevKV: Bool = false)
}

/// The answer to one operation of a transaction.
public indirect enum EtcdOpResponse: Sendable, Hashable {
    case range(EtcdRangeResult)
    case put(EtcdPutResult)
    case delete(EtcdDeleteResult)
    case txn(EtcdTxnResult)
}

/// A transaction's answer: which branch ran, and each of its operations' answers.
public struct EtcdTxnResult: Sendable, Hashable {
    public var succeeded: Bool
    public var header: EtcdResponseHeader
    public var responses: [EtcdOpResponse]
}

/// The outcome of a compare-and-swap (``EtcdClient/update(key:value:expectedModRevision:lease:)``,
/// ``EtcdClient/delete(key:expectedModRevision:)``).
public enum EtcdConditionalResult: Sendable, Hashable {
    /// The write happened at this revision.
    case succeeded(revision: Int64)
    /// The key had changed: its current state (nil if it no longer exists).
    case conflict(current: EtcdKeyValue?)
}

extension EtcdClient {
    /// Runs `success` if every compare holds, else `failure`, atomically.
    public func txn(compares: [EtcdCompare], success: [EtcdOp], failure: [EtcdOp] = []) async throws -> EtcdTxnResult {
        var r = Etcdserverpb_TxnRequest()
        r.compare = compares.map(\.wire)
        r.success = success.map(\.wire)
        r.failure = failure.map(\.wire)
        let request = r
        let response = try await rpc(request)
        return EtcdTxnResult(response)
    }

    /// Creates `key` only if it does not exist. Returns the new revision, or nil if the key exists.
    public func create(key: [UInt8], value: [UInt8], lease: Int64 = 0) async throws -> Int64? {
        let r = try await txn(compares: [.absent(key)], success: [.put(key: key, value: value, lease: lease)])
        return r.succeeded ? r.header.revision : nil
    }

    /// Replaces `key`'s value only if its mod revision is still `expectedModRevision`;
    /// otherwise returns the key's current state.
    public func update(key: [UInt8], value: [UInt8], expectedModRevision: Int64, lease: Int64 = 0) async throws
        -> EtcdConditionalResult
    {
        let r = try await txn(
            compares: [.modRevision(key, is: expectedModRevision)],
            success: [.put(key: key, value: value, lease: lease)],
            failure: [.range(key: key)])
        return Self.conditional(r)
    }

    /// Deletes `key` only if its mod revision is still `expectedModRevision`;
    /// otherwise returns the key's current state.
    public func delete(key: [UInt8], expectedModRevision: Int64) async throws -> EtcdConditionalResult {
        let r = try await txn(
            compares: [.modRevision(key, is: expectedModRevision)],
            success: [.delete(key: key)],
            failure: [.range(key: key)])
        return Self.conditional(r)
    }

    private static func conditional(_ r: EtcdTxnResult) -> EtcdConditionalResult {
        if r.succeeded { return .succeeded(revision: r.header.revision) }
        if case .range(let range)? = r.responses.first { return .conflict(current: range.kvs.first) }
        return .conflict(current: nil)
    }
}

// MARK: - Wire conversions

extension EtcdCompare {
    var wire: Etcdserverpb_Compare {
        var c = Etcdserverpb_Compare()
        c.key = Data(key)
        if let rangeEnd { c.rangeEnd = Data(rangeEnd) }
        switch result {
        case .equal: c.result = .equal
        case .notEqual: c.result = .notEqual
        case .less: c.result = .less
        case .greater: c.result = .greater
        }
        switch target {
        case .version(let v):
            c.target = .version
            c.targetUnion = .version(v)
        case .createRevision(let v):
            c.target = .create
            c.targetUnion = .createRevision(v)
        case .modRevision(let v):
            c.target = .mod
            c.targetUnion = .modRevision(v)
        case .value(let v):
            c.target = .value
            c.targetUnion = .value(Data(v))
        case .lease(let v):
            c.target = .lease
            c.targetUnion = .lease(v)
        }
        return c
    }
}

extension EtcdOp {
    static func rangeRequest(key: [UInt8], end: [UInt8]?, limit: Int64, revision: Int64, keysOnly: Bool,
                             countOnly: Bool) -> Etcdserverpb_RangeRequest {
        var r = Etcdserverpb_RangeRequest()
        r.key = Data(key)
        if let end { r.rangeEnd = Data(end) }
        r.limit = limit
        r.revision = revision
        r.keysOnly = keysOnly
        r.countOnly = countOnly
        return r
    }

    static func putRequest(key: [UInt8], value: [UInt8], lease: Int64, prevKV: Bool, ignoreValue: Bool = false,
                           ignoreLease: Bool = false) -> Etcdserverpb_PutRequest {
        var r = Etcdserverpb_PutRequest()
        r.key = Data(key)
        r.value = Data(value)
        r.lease = lease
        r.prevKv = prevKV
        r.ignoreValue = ignoreValue
        r.ignoreLease = ignoreLease
        return r
    }

    static func deleteRequest(key: [UInt8], end: [UInt8]?, prevKV: Bool) -> Etcdserverpb_DeleteRangeRequest {
        var r = Etcdserverpb_DeleteRangeRequest()
        r.key = Data(key)
        if let end { r.rangeEnd = Data(end) }
        r.prevKv = prevKV
        return r
    }

    var wire: Etcdserverpb_RequestOp {
        var op = Etcdserverpb_RequestOp()
        switch self {
        case .range(let key, let end, let limit, let revision, let keysOnly, let countOnly):
            op.request = .requestRange(Self.rangeRequest(key: key, end: end, limit: limit, revision: revision,
                                                         keysOnly: keysOnly, countOnly: countOnly))
        case .put(let key, let value, let lease, let prevKV):
            op.request = .requestPut(Self.putRequest(key: key, value: value, lease: lease, prevKV: prevKV))
        case .delete(let key, let end, let prevKV):
            op.request = .requestDeleteRange(Self.deleteRequest(key: key, end: end, prevKV: prevKV))
        }
        return op
    }
}

extension EtcdTxnResult {
    public init(_ r: Etcdserverpb_TxnResponse) {
        self.init(
            succeeded: r.succeeded, header: EtcdResponseHeader(r.header),
            responses: r.responses.compactMap { op in
                switch op.response {
                case .responseRange(let x)?: .range(EtcdRangeResult(x))
                case .responsePut(let x)?: .put(EtcdPutResult(x))
                case .responseDeleteRange(let x)?: .delete(EtcdDeleteResult(x))
                case .responseTxn(let x)?: .txn(EtcdTxnResult(x))
                case nil: nil
                }
            })
    }
}
