import EtcdClient
import EtcdProto
import Foundation
import GoText

/// `get`, `put` and `del`, as etcdctl 3.5 builds their requests and prints their answers. The
/// request builders also serve txn's get, put and del lines (``CtlTxn/parseOp(_:)``).
enum CtlKV {
    static func get(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        var printer = try CtlPrinter(writeOut: CtlRPC.printerFormat(g), hex: g.hex)
        let serializable = try consistency(p)
        guard !p.positionals.isEmpty else { throw CtlFailure(CtlExit.badArgs, getUsage) }
        let (prefix, fromKey) = try rangeFlags(p)
        if p.flag("print-value-only") {
            guard printer.format == .simple else { throw CtlFailure(CtlExit.badArgs, "print-value-only is only for `--write-out=simple`") }
            printer.valueOnly = true
        }
        if p.flag("count-only"), printer.format != .fields {
            throw CtlFailure(CtlExit.badArgs, "--count-only is only for `--write-out=fields`")
        }
        let (key, end) = try range(p.positionals, prefix: prefix, fromKey: fromKey)
        let request = try rangeRequest(p, key: key, end: end, serializable: serializable, revision: { $0 })
        let response = try await g.withClient { try await $0.rpc(request) }
        try CtlRPC.printResult(EtcdRangeResult(response), printer, g)
    }

    static let getUsage = "get command needs one argument as key and an optional argument as range_end"

    /// `--consistency`: whether the read is serializable (`s`) rather than linearizable (`l`).
    static func consistency(_ p: CtlParsedArguments) throws -> Bool {
        switch p.value("consistency") ?? "l" {
        case "s": return true
        case "l": return false
        case let other: throw CtlFailure(CtlExit.badFeature, "unknown consistency flag \(GoQuote.quote(other))")
        }
    }

    /// `--prefix` and `--from-key`, which etcdctl refuses together.
    static func rangeFlags(_ p: CtlParsedArguments) throws -> (prefix: Bool, fromKey: Bool) {
        let prefix = p.flag("prefix"), fromKey = p.flag("from-key")
        if prefix && fromKey {
            throw CtlFailure(CtlExit.badArgs, "`--prefix` and `--from-key` cannot be set at the same time, choose one")
        }
        return (prefix, fromKey)
    }

    /// The key and range end of `<key> [range_end]`; with `--prefix` or `--from-key` only the key may be given.
    static func range(_ args: [String], prefix: Bool, fromKey: Bool) throws -> ([UInt8], [UInt8]?) {
        var end: [UInt8]?
        if args.count > 1 {
            if prefix || fromKey {
                throw CtlFailure(CtlExit.badArgs, "too many arguments, only accept one argument when `--prefix` or `--from-key` is set.")
            }
            end = Array(args[1].utf8)
        }
        return rangeFor(key: Array(args[0].utf8), end: end, prefix: prefix, fromKey: fromKey)
    }

    /// etcdctl's `--prefix` / `--from-key` handling of the key and range end.
    static func rangeFor(key: [UInt8], end: [UInt8]?, prefix: Bool, fromKey: Bool) -> ([UInt8], [UInt8]?) {
        var key = key, end = end
        if prefix {
            if key.isEmpty {
                key = [0]
                end = [0]
            } else {
                end = EtcdKeys.prefixEnd(of: key)
            }
        }
        if fromKey {
            if key.isEmpty { key = [0] }
            end = [0]
        }
        return (key, end)
    }

    /// get's request for the range: `--limit`, `--rev` (as `revision` maps it), the sort and the
    /// keys/count-only flags, checked in etcdctl's order.
    static func rangeRequest(_ p: CtlParsedArguments, key: [UInt8], end: [UInt8]?, serializable: Bool,
                             revision: (Int64) -> Int64) throws -> Etcdserverpb_RangeRequest {
        var r = Etcdserverpb_RangeRequest()
        r.key = Data(key)
        if let end { r.rangeEnd = Data(end) }
        r.serializable = serializable
        r.limit = try p.int64("limit")
        r.revision = revision(try p.int64("rev"))
        switch (p.value("order") ?? "").uppercased() {
        case "ASCEND": r.sortOrder = .ascend
        case "DESCEND": r.sortOrder = .descend
        case "": r.sortOrder = .none
        default: throw CtlFailure(CtlExit.badFeature, "bad sort order \(p.value("order") ?? "")")
        }
        switch (p.value("sort-by") ?? "").uppercased() {
        case "CREATE": r.sortTarget = .create
        case "KEY", "": r.sortTarget = .key
        case "MODIFY": r.sortTarget = .mod
        case "VALUE": r.sortTarget = .value
        case "VERSION": r.sortTarget = .version
        default: throw CtlFailure(CtlExit.badFeature, "bad sort target \(p.value("sort-by") ?? "")")
        }
        // clientv3.WithSort: sorting by key in ascending order is the server's default.
        if r.sortTarget == .key && r.sortOrder == .ascend { r.sortOrder = .none }
        r.keysOnly = p.flag("keys-only")
        r.countOnly = p.flag("count-only")
        return r
    }

    static func put(_ p: CtlParsedArguments, _ g: CtlGlobals, stdin: () -> Data) async throws {
        let printer = try CtlPrinter(writeOut: CtlRPC.printerFormat(g), hex: g.hex)
        let request = try putRequest(p, stdin: stdin)
        let response = try await g.withClient { try await $0.rpc(request) }
        try CtlRPC.printResult(EtcdPutResult(response), printer, g)
    }

    /// put's request: `<key> <value>`, or the value read from `stdin` (empty in a txn, whose stdin
    /// holds the transaction).
    static func putRequest(_ p: CtlParsedArguments, stdin: () -> Data) throws -> Etcdserverpb_PutRequest {
        let usage = "put command needs 1 argument and input from stdin or 2 arguments"
        guard let key = p.positionals.first else { throw CtlFailure(CtlExit.badArgs, usage) }
        let ignoreValue = p.flag("ignore-value")
        if ignoreValue && p.positionals.count > 1 {
            throw CtlFailure(CtlExit.badArgs, "put command needs only 1 argument when 'ignore-value' is set")
        }
        var r = Etcdserverpb_PutRequest()
        if !ignoreValue {
            if p.positionals.count > 1 {
                r.value = Data(p.positionals[1].utf8)
            } else {
                r.value = stdin()
                if r.value.isEmpty { throw CtlFailure(CtlExit.badArgs, usage) }
            }
        }
        let leaseText = p.value("lease") ?? "0"
        guard let lease = Int64(leaseText, radix: 16) else {
            throw CtlFailure(CtlExit.badArgs, "bad lease ID (strconv.ParseInt: parsing \(GoQuote.quote(leaseText)): invalid syntax), expecting ID in Hex")
        }
        r.key = Data(key.utf8)
        r.lease = lease
        r.prevKv = p.flag("prev-kv")
        r.ignoreValue = ignoreValue
        r.ignoreLease = p.flag("ignore-lease")
        return r
    }

    static func del(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let printer = try CtlPrinter(writeOut: CtlRPC.printerFormat(g), hex: g.hex)
        let request = try deleteRequest(p)
        let response = try await g.withClient { try await $0.rpc(request) }
        try CtlRPC.printResult(EtcdDeleteResult(response), printer, g)
    }

    /// etcdctl's `getDelOp`: del's request.
    static func deleteRequest(_ p: CtlParsedArguments) throws -> Etcdserverpb_DeleteRangeRequest {
        guard (1...2).contains(p.positionals.count) else {
            throw CtlFailure(CtlExit.badArgs, "del command needs one argument as key and an optional argument as range_end")
        }
        let (prefix, fromKey) = try rangeFlags(p)
        let (key, end) = try range(p.positionals, prefix: prefix, fromKey: fromKey)
        var r = Etcdserverpb_DeleteRangeRequest()
        r.key = Data(key)
        if let end { r.rangeEnd = Data(end) }
        r.prevKv = p.flag("prev-kv")
        return r
    }
}
