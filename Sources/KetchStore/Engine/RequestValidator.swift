import Foundation

/// etcd's request checks (server/etcdserver/api/v3rpc/key.go), run before a request reaches
/// the writer so a bad request never costs a revision.
struct RequestValidator {
    var maxTxnOps: Int

    func check(_ r: RangeRequest) throws {
        if r.key.isEmpty { throw StoreError.emptyKey }
    }

    func check(_ r: PutRequest) throws {
        if r.key.isEmpty { throw StoreError.emptyKey }
        if r.ignoreValue && !r.value.isEmpty { throw StoreError.valueProvided }
        if r.ignoreLease && r.lease != 0 { throw StoreError.leaseProvided }
    }

    func check(_ r: DeleteRangeRequest) throws {
        if r.key.isEmpty { throw StoreError.emptyKey }
    }

    /// The whole txn check: sizes, keys, then duplicate writes per branch.
    func check(_ r: TxnRequest) throws {
        try checkShape(r)
        // Overlap checks come after the shape checks, as etcd orders them (avoids quadratic work on bad input).
        _ = try Self.checkIntervals(r.success)
        _ = try Self.checkIntervals(r.failure)
    }

    private func checkShape(_ r: TxnRequest) throws {
        if max(r.compare.count, r.success.count, r.failure.count) > maxTxnOps { throw StoreError.tooManyOperations }
        if r.compare.contains(where: { $0.key.isEmpty }) { throw StoreError.emptyKey }
        for op in r.success + r.failure {
            switch op {
            case .range(let range): try check(range)
            case .put(let put): try check(put)
            case .deleteRange(let delete): try check(delete)
            case .txn(let txn): try checkShape(txn)
            case .empty: throw StoreError.keyNotFound
            }
        }
    }

    /// A half-open byte interval; a delete of one key is `[key, key\0)`.
    struct Interval {
        var begin: Data
        var end: Data

        func contains(_ key: Data) -> Bool {
            compareBytes(begin, key) <= 0 && compareBytes(key, end) < 0
        }
    }

    /// etcd's `checkIntervals`: within one branch no key may be put twice, or put and deleted.
    /// Puts in the success and failure branches of a nested txn may repeat each other (only one runs).
    static func checkIntervals(_ ops: [RequestOp]) throws -> (puts: Set<Data>, deletes: [Interval]) {
        var deletes: [Interval] = []
        for case .deleteRange(let d) in ops {
            switch d.rangeEnd {
            case .single: deletes.append(Interval(begin: d.key, end: d.key + Data([0])))
            default: deletes.append(Interval(begin: d.key, end: d.rangeEnd.wireValue))
            }
        }
        func deleted(_ key: Data) -> Bool { deletes.contains { $0.contains(key) } }

        var puts = Set<Data>()
        for case .txn(let nested) in ops {
            let then = try checkIntervals(nested.success)
            let otherwise = try checkIntervals(nested.failure)
            for key in then.puts {
                if puts.contains(key) || deleted(key) { throw StoreError.duplicateKey }
                puts.insert(key)
            }
            for key in otherwise.puts {
                if puts.contains(key) && !then.puts.contains(key) { throw StoreError.duplicateKey }
                if deleted(key) { throw StoreError.duplicateKey }
                puts.insert(key)
            }
            deletes += then.deletes
            deletes += otherwise.deletes
        }
        for case .put(let p) in ops {
            if puts.contains(p.key) || deleted(p.key) { throw StoreError.duplicateKey }
            puts.insert(p.key)
        }
        return (puts, deletes)
    }
}
