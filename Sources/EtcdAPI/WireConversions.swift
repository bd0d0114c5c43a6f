import EtcdProto
import Foundation
import KetchStore

// Protobuf messages <-> store types. Kept in one place so services stay about behaviour.

extension RangeRequest {
    init(wire r: Etcdserverpb_RangeRequest) throws {
        self.init(key: r.key, rangeEnd: RangeEnd(r.rangeEnd))
        guard let order = SortOrder(rawValue: r.sortOrder.rawValue),
              let target = SortTarget(rawValue: r.sortTarget.rawValue)
        else { throw StoreError.invalidSortOption }
        limit = r.limit
        revision = r.revision
        sortOrder = order
        sortTarget = target
        keysOnly = r.keysOnly
        countOnly = r.countOnly
        minModRevision = r.minModRevision
        maxModRevision = r.maxModRevision
        minCreateRevision = r.minCreateRevision
        maxCreateRevision = r.maxCreateRevision
    }
}

extension PutRequest {
    init(wire r: Etcdserverpb_PutRequest) {
        self.init(key: r.key, value: r.value, lease: r.lease)
        prevKV = r.prevKv
        ignoreValue = r.ignoreValue
        ignoreLease = r.ignoreLease
    }
}

extension DeleteRangeRequest {
    init(wire r: Etcdserverpb_DeleteRangeRequest) {
        self.init(key: r.key, rangeEnd: RangeEnd(r.rangeEnd), prevKV: r.prevKv)
    }
}

extension Compare {
    /// etcd reads the operand from the union member matching `target`; a mismatch compares with zero.
    init(wire c: Etcdserverpb_Compare) {
        let target: Target
        switch c.target {
        case .version: target = .version(c.version)
        case .create: target = .createRevision(c.createRevision)
        case .mod: target = .modRevision(c.modRevision)
        case .value: target = .value(c.value)
        case .lease: target = .lease(c.lease)
        case .UNRECOGNIZED: target = .unrecognized
        }
        let result = Result(rawValue: c.result.rawValue) ?? .unrecognized
        self.init(key: c.key, rangeEnd: RangeEnd(c.rangeEnd), result: result, target: target)
    }
}

extension TxnRequest {
    init(wire t: Etcdserverpb_TxnRequest) throws {
        self.init(
            compare: t.compare.map(Compare.init(wire:)),
            success: try t.success.map(RequestOp.init(wire:)),
            failure: try t.failure.map(RequestOp.init(wire:)))
    }
}

extension RequestOp {
    init(wire op: Etcdserverpb_RequestOp) throws {
        switch op.request {
        case .requestRange(let r): self = .range(try RangeRequest(wire: r))
        case .requestPut(let p): self = .put(PutRequest(wire: p))
        case .requestDeleteRange(let d): self = .deleteRange(DeleteRangeRequest(wire: d))
        case .requestTxn(let t): self = .txn(try TxnRequest(wire: t))
        case nil: self = .empty
        }
    }
}

extension Mvccpb_KeyValue {
    init(_ kv: KeyValue) {
        self.init()
        key = kv.key
        value = kv.value
        createRevision = kv.createRevision
        modRevision = kv.modRevision
        version = kv.version
        lease = kv.lease
    }
}

/// Responses nested in a txn carry a header with only the revision, as etcd's applier builds them.
private func bareHeader(_ revision: Int64) -> Etcdserverpb_ResponseHeader {
    var h = Etcdserverpb_ResponseHeader()
    h.revision = revision
    return h
}

extension Etcdserverpb_RangeResponse {
    init(_ r: RangeResponse, header: Etcdserverpb_ResponseHeader) {
        self.init()
        self.header = header
        kvs = r.kvs.map(Mvccpb_KeyValue.init)
        more = r.more
        count = r.count
    }
}

extension Etcdserverpb_PutResponse {
    init(_ r: PutResponse, header: Etcdserverpb_ResponseHeader) {
        self.init()
        self.header = header
        if let prev = r.prevKV { prevKv = Mvccpb_KeyValue(prev) }
    }
}

extension Etcdserverpb_DeleteRangeResponse {
    init(_ r: DeleteRangeResponse, header: Etcdserverpb_ResponseHeader) {
        self.init()
        self.header = header
        deleted = r.deleted
        prevKvs = r.prevKVs.map(Mvccpb_KeyValue.init)
    }
}

extension Etcdserverpb_TxnResponse {
    init(_ r: TxnResponse, header: Etcdserverpb_ResponseHeader) {
        self.init()
        self.header = header
        succeeded = r.succeeded
        responses = r.responses.map { op in
            var out = Etcdserverpb_ResponseOp()
            switch op {
            case .range(let x): out.responseRange = Etcdserverpb_RangeResponse(x, header: bareHeader(x.revision))
            case .put(let x): out.responsePut = Etcdserverpb_PutResponse(x, header: bareHeader(x.revision))
            case .deleteRange(let x): out.responseDeleteRange = Etcdserverpb_DeleteRangeResponse(x, header: bareHeader(x.revision))
            case .txn(let x): out.responseTxn = Etcdserverpb_TxnResponse(x, header: bareHeader(x.revision))
            }
            return out
        }
    }
}
