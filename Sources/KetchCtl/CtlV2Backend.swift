import EtcdV2
import EtcdClient
import Foundation

/// The v2 emulation (``V2Keys``) over a v3 endpoint, through ``EtcdClient``.
struct CtlV2Backend: V2KeysBackend {
    let client: EtcdClient

    func range(key: [UInt8], rangeEnd: [UInt8]?, countOnly: Bool) async throws -> V2RangeResult {
        let r = try await client.range(key: key, end: rangeEnd, countOnly: countOnly)
        return V2RangeResult(
            kvs: r.kvs.map { V2StoredKey(key: $0.key, value: $0.value, createRevision: $0.createRevision, modRevision: $0.modRevision) },
            count: r.count, revision: r.header.revision)
    }

    func commit(guards: [V2Guard], writes: [V2Write]) async throws -> Int64? {
        let compares = guards.map { g -> EtcdCompare in
            let target: EtcdCompare.Target = g.target == .modRevision ? .modRevision(g.value) : .createRevision(g.value)
            return EtcdCompare(key: g.key, rangeEnd: g.rangeEnd, g.relation == .equal ? .equal : .less, target)
        }
        let ops = writes.map { w -> EtcdOp in
            switch w {
            case .put(let key, let value): .put(key: key, value: value)
            case .delete(let key, let end): .delete(key: key, end: end)
            }
        }
        let r = try await client.txn(compares: compares, success: ops)
        return r.succeeded ? r.header.revision : nil
    }
}
