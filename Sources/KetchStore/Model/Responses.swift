import Foundation

/// The answer to a `RangeRequest`. `revision` is the store's revision when it was read.
public struct RangeResponse: Sendable, Equatable {
    public var revision: Int64
    public var kvs: [KeyValue]
    public var more: Bool
    public var count: Int64
}

/// The answer to a `PutRequest`; `revision` is the revision of the write.
public struct PutResponse: Sendable, Equatable {
    public var revision: Int64
    public var prevKV: KeyValue?
}

/// The answer to a `DeleteRangeRequest`.
public struct DeleteRangeResponse: Sendable, Equatable {
    public var revision: Int64
    public var deleted: Int64
    public var prevKVs: [KeyValue]
}

/// The answer to one operation of a transaction.
public indirect enum ResponseOp: Sendable, Equatable {
    case range(RangeResponse)
    case put(PutResponse)
    case deleteRange(DeleteRangeResponse)
    case txn(TxnResponse)
}

/// The answer to a `TxnRequest`.
public struct TxnResponse: Sendable, Equatable {
    public var revision: Int64
    public var succeeded: Bool
    public var responses: [ResponseOp]
}

/// The answer to a compaction.
public struct CompactResponse: Sendable, Equatable {
    public var revision: Int64
}
