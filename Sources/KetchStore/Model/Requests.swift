import Foundation

/// A read of a key or key range, with etcd's `RangeRequest` options.
public struct RangeRequest: Sendable, Equatable {
    public enum SortOrder: Int, Sendable { case none = 0, ascend = 1, descend = 2 }
    public enum SortTarget: Int, Sendable { case key = 0, version = 1, create = 2, mod = 3, value = 4 }

    public var key: Data
    public var rangeEnd: RangeEnd
    /// At most this many keys (0 = no limit).
    public var limit: Int64 = 0
    /// Read at this revision (0 or less = the current one).
    public var revision: Int64 = 0
    public var sortOrder: SortOrder = .none
    public var sortTarget: SortTarget = .key
    public var keysOnly = false
    public var countOnly = false
    public var minModRevision: Int64 = 0
    public var maxModRevision: Int64 = 0
    public var minCreateRevision: Int64 = 0
    public var maxCreateRevision: Int64 = 0

    public init(key: Data, rangeEnd: RangeEnd = .single) {
        self.key = key
        self.rangeEnd = rangeEnd
    }
}

/// A write of one key, with etcd's `PutRequest` options.
public struct PutRequest: Sendable, Equatable {
    public var key: Data
    public var value: Data
    public var lease: Int64 = 0
    public var prevKV = false
    /// Keep the current value (the key must exist).
    public var ignoreValue = false
    /// Keep the current lease (the key must exist).
    public var ignoreLease = false

    public init(key: Data, value: Data, lease: Int64 = 0) {
        self.key = key
        self.value = value
        self.lease = lease
    }
}

/// A deletion of a key or key range.
public struct DeleteRangeRequest: Sendable, Equatable {
    public var key: Data
    public var rangeEnd: RangeEnd
    public var prevKV = false

    public init(key: Data, rangeEnd: RangeEnd = .single, prevKV: Bool = false) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.prevKV = prevKV
    }
}

/// One condition of a transaction, as etcd's `Compare`.
public struct Compare: Sendable, Equatable {
    public enum Result: Int, Sendable {
        case equal = 0, greater = 1, less = 2, notEqual = 3
        /// A result code etcd does not know; etcd lets such a compare hold.
        case unrecognized = -1
    }
    public enum Target: Sendable, Equatable {
        case version(Int64)
        case createRevision(Int64)
        case modRevision(Int64)
        case value(Data)
        case lease(Int64)
        /// A target code etcd does not know; etcd compares it as equal.
        case unrecognized
    }

    public var result: Result
    public var target: Target
    public var key: Data
    public var rangeEnd: RangeEnd

    public init(key: Data, rangeEnd: RangeEnd = .single, result: Result, target: Target) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.result = result
        self.target = target
    }
}

/// One operation of a transaction branch.
public indirect enum RequestOp: Sendable, Equatable {
    case range(RangeRequest)
    case put(PutRequest)
    case deleteRange(DeleteRangeRequest)
    case txn(TxnRequest)
    /// An operation with no request set; etcd rejects it.
    case empty
}

/// A transaction: if every compare holds, run `success`, else `failure`.
public struct TxnRequest: Sendable, Equatable {
    public var compare: [Compare]
    public var success: [RequestOp]
    public var failure: [RequestOp]

    public init(compare: [Compare] = [], success: [RequestOp] = [], failure: [RequestOp] = []) {
        self.compare = compare
        self.success = success
        self.failure = failure
    }

    /// Whether any branch, at any depth, can change the store.
    public var isReadOnly: Bool {
        func readOnly(_ ops: [RequestOp]) -> Bool {
            ops.allSatisfy { op in
                switch op {
                case .range, .empty: return true
                case .put, .deleteRange: return false
                case .txn(let t): return t.isReadOnly
                }
            }
        }
        return readOnly(success) && readOnly(failure)
    }
}
