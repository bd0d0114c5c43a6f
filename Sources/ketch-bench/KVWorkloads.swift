import EtcdProto
import Foundation
import GRPCCore
import EtcdKeySpace

/// Key-value workloads as kube-apiserver drives etcd: plain puts, reads of one key, paged lists,
/// and the two transactions its storage layer writes with.
enum KV {
    static func key(_ s: String) -> Data { Data(s.utf8) }

    /// The first key after every key that starts with `prefix` (etcd's `--prefix` range end).
    static func prefixEnd(_ prefix: String) -> Data {
        prefixRangeEnd(Data(prefix.utf8))
    }

    /// `put key value`, keys `prefix0 … prefix(keySpace-1)` in turn.
    static func put(prefix: String, valueSize: Int, keySpace: Int) -> @Sendable (Int) -> Operation {
        let value = Data(repeating: 0x78, count: valueSize)
        return { _ in
            { stubs, i in
                var r = Etcdserverpb_PutRequest()
                r.key = key("\(prefix)\(i % keySpace)")
                r.value = value
                return try await timed { _ = try await stubs.kv.put(r) }
            }
        }
    }

    /// A get of one key.
    static func get(key k: String, serializable: Bool) -> @Sendable (Int) -> Operation {
        let keyData = key(k)
        return { _ in
            { stubs, _ in
                var r = Etcdserverpb_RangeRequest()
                r.key = keyData
                r.serializable = serializable
                return try await timed {
                    let response = try await stubs.kv.range(r)
                    guard response.kvs.count == 1 else { throw BenchError("get \(k): \(response.kvs.count) keys") }
                }
            }
        }
    }

    /// A whole list of `prefix` as kube-apiserver pages it: `limit` keys a page; the first page at
    /// the current revision, the following ones from the last key + "\0" at the first page's
    /// revision (one consistent snapshot), until `more` is false. One operation = the whole list.
    static func list(prefix: String, limit: Int64, expect: Int, serializable: Bool) -> @Sendable (Int) -> Operation {
        let end = prefixEnd(prefix)
        return { _ in
            { stubs, _ in
                try await timed {
                    var r = Etcdserverpb_RangeRequest()
                    r.key = key(prefix)
                    r.rangeEnd = end
                    r.limit = limit
                    r.serializable = serializable
                    var seen = 0
                    while true {
                        let page = try await stubs.kv.range(r)
                        seen += page.kvs.count
                        guard page.more, let last = page.kvs.last else { break }
                        if r.revision == 0 { r.revision = page.header.revision }
                        r.key = last.key + Data([0])
                    }
                    guard seen == expect else { throw BenchError("list \(prefix): \(seen) keys, expected \(expect)") }
                }
            }
        }
    }

    static func rangeOp(_ k: Data) -> Etcdserverpb_RequestOp {
        var get = Etcdserverpb_RangeRequest()
        get.key = k
        var op = Etcdserverpb_RequestOp()
        op.request = .requestRange(get)
        return op
    }

    static func putOp(_ k: Data, _ value: Data) -> Etcdserverpb_RequestOp {
        var put = Etcdserverpb_PutRequest()
        put.key = k
        put.value = value
        var op = Etcdserverpb_RequestOp()
        op.request = .requestPut(put)
        return op
    }

    static func modRevisionIs(_ k: Data, _ revision: Int64) -> Etcdserverpb_Compare {
        var c = Etcdserverpb_Compare()
        c.key = k
        c.target = .mod
        c.result = .equal
        c.targetUnion = .modRevision(revision)
        return c
    }

    /// kube-apiserver's create: `If(mod_revision(key) == 0) Then(put) Else(get)`, a new key each time.
    static func txnCreate(prefix: String, valueSize: Int) -> @Sendable (Int) -> Operation {
        let value = Data(repeating: 0x63, count: valueSize)
        return { _ in
            { stubs, i in
                let k = key("\(prefix)\(i)")
                var t = Etcdserverpb_TxnRequest()
                t.compare = [modRevisionIs(k, 0)]
                t.success = [putOp(k, value)]
                t.failure = [rangeOp(k)]
                return try await timed {
                    let response = try await stubs.kv.txn(t)
                    guard response.succeeded else { throw BenchError("create \(prefix)\(i): key exists") }
                }
            }
        }
    }

    /// kube-apiserver's update (GuaranteedUpdate): `If(mod_revision(key) == seen) Then(put) Else(get)`.
    /// Each client updates keys of its own (`keysPerClient` in turn, created untimed on first use),
    /// carrying the mod revision from its last answer as the apiserver's watch cache would; a
    /// failed compare (none is expected) takes the revision from the `Else` get and counts as an error.
    static func txnUpdate(prefix: String, valueSize: Int, keysPerClient: Int) -> @Sendable (Int) -> Operation {
        let value = Data(repeating: 0x75, count: valueSize)
        return { client in
            let seen = RevisionBox(count: keysPerClient)
            return { stubs, i in
                let slot = i % keysPerClient
                let k = key("\(prefix)\(client)/\(slot)")
                if seen.revisions[slot] == 0 {
                    var p = Etcdserverpb_PutRequest()
                    p.key = k
                    p.value = value
                    seen.revisions[slot] = try await stubs.kv.put(p).header.revision
                }
                var t = Etcdserverpb_TxnRequest()
                t.compare = [modRevisionIs(k, seen.revisions[slot])]
                t.success = [putOp(k, value)]
                t.failure = [rangeOp(k)]
                var response = Etcdserverpb_TxnResponse()
                let d = try await timed { response = try await stubs.kv.txn(t) }
                if response.succeeded {
                    seen.revisions[slot] = response.header.revision
                    return d
                }
                if case .responseRange(let r)? = response.responses.first?.response, let kv = r.kvs.first {
                    seen.revisions[slot] = kv.modRevision
                }
                throw BenchError("update \(String(decoding: k, as: UTF8.self)): mod revision conflict")
            }
        }
    }

    /// Writes `count` keys `prefix%08d` of `valueSize` bytes in transactions of `batch` puts
    /// (etcd allows 128 operations a transaction), from several clients.
    static func bulkLoad(prefix: String, count: Int, valueSize: Int, batch: Int) -> @Sendable (Int) -> Operation {
        let value = Data(repeating: 0x6c, count: valueSize)
        return { _ in
            { stubs, b in
                var t = Etcdserverpb_TxnRequest()
                let first = b * batch
                t.success = (first..<min(count, first + batch)).map { putOp(key(prefix + String(format: "%08d", $0)), value) }
                return try await timed { _ = try await stubs.kv.txn(t) }
            }
        }
    }
}

/// Mod revisions one client has seen, per key slot (used by one client loop only).
final class RevisionBox {
    var revisions: [Int64]
    init(count: Int) { revisions = Array(repeating: 0, count: count) }
}
