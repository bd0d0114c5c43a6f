import EtcdV2
import EtcdProto
import Foundation
import GRPCCore

/// The v2 emulation on this member's own store, through the KV service (so quotas, size limits
/// and metrics apply as to v3 requests).
struct V2ServiceBackend: V2KeysBackend {
    let kv: KVService

    init(context: EtcdServerContext) {
        kv = KVService(context: context)
    }

    func range(key: [UInt8], rangeEnd: [UInt8]?, countOnly: Bool) async throws -> V2RangeResult {
        var r = Etcdserverpb_RangeRequest()
        r.key = Data(key)
        if let rangeEnd { r.rangeEnd = Data(rangeEnd) }
        r.countOnly = countOnly
        let response = try await kv.range(r, metadata: [:], peer: "v2")
        return V2RangeResult(
            kvs: response.kvs.map {
                V2StoredKey(key: Array($0.key), value: Array($0.value), createRevision: $0.createRevision, modRevision: $0.modRevision)
            },
            count: response.count, revision: response.header.revision)
    }

    func commit(guards: [V2Guard], writes: [V2Write]) async throws -> Int64? {
        var t = Etcdserverpb_TxnRequest()
        t.compare = guards.map(Self.compare)
        t.success = writes.map(Self.op)
        let response = try await kv.txn(t, metadata: [:], peer: "v2")
        return response.succeeded ? response.header.revision : nil
    }

    static func compare(_ g: V2Guard) -> Etcdserverpb_Compare {
        var c = Etcdserverpb_Compare()
        c.key = Data(g.key)
        if let end = g.rangeEnd { c.rangeEnd = Data(end) }
        c.result = g.relation == .equal ? .equal : .less
        switch g.target {
        case .createRevision:
            c.target = .create
            c.createRevision = g.value
        case .modRevision:
            c.target = .mod
            c.modRevision = g.value
        }
        return c
    }

    static func op(_ w: V2Write) -> Etcdserverpb_RequestOp {
        var op = Etcdserverpb_RequestOp()
        switch w {
        case .put(let key, let value):
            var p = Etcdserverpb_PutRequest()
            p.key = Data(key)
            p.value = Data(value)
            op.requestPut = p
        case .delete(let key, let end):
            var d = Etcdserverpb_DeleteRangeRequest()
            d.key = Data(key)
            if let end { d.rangeEnd = Data(end) }
            op.requestDeleteRange = d
        }
        return op
    }
}
