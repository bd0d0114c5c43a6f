import EtcdClient
import Foundation

/// `get`, `put` and `del`, as etcdctl 3.5 builds their requests and prints their answers.
enum CtlKV {
    static func get(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        var printer = try CtlPrinter(writeOut: CtlRPC.printerFormat(g), hex: g.hex)
        let consistency = p.value("consistency") ?? "l"
        guard consistency == "l" || consistency == "s" else {
            throw CtlFailure(CtlExit.badFeature, "unknown consistency flag \(GoFormat.quote(consistency))")
        }
        guard !p.positionals.isEmpty else {
            throw CtlFailure(CtlExit.badArgs, "get command needs one argument as key and an optional argument as range_end")
        }
        let prefix = p.flag("prefix"), fromKey = p.flag("from-key")
        if prefix && fromKey {
            throw CtlFailure(CtlExit.badArgs, "`--prefix` and `--from-key` cannot be set at the same time, choose one")
        }
        if p.flag("print-value-only") {
            guard printer.format == .simple else { throw CtlFailure(CtlExit.badArgs, "print-value-only is only for `--write-out=simple`") }
            printer.valueOnly = true
        }
        if p.flag("count-only"), printer.format != .fields {
            throw CtlFailure(CtlExit.badArgs, "--count-only is only for `--write-out=fields`")
        }
        var key = Array(p.positionals[0].utf8)
        var end: [UInt8]?
        if p.positionals.count > 1 {
            if prefix || fromKey {
                throw CtlFailure(CtlExit.badArgs, "too many arguments, only accept one argument when `--prefix` or `--from-key` is set.")
            }
            end = Array(p.positionals[1].utf8)
        }
        let limit = try p.int64("limit"), rev = try p.int64("rev")
        var order = EtcdSortOrder.none
        switch (p.value("order") ?? "").uppercased() {
        case "ASCEND": order = .ascend
        case "DESCEND": order = .descend
        case "": break
        default: throw CtlFailure(CtlExit.badFeature, "bad sort order \(p.value("order") ?? "")")
        }
        var target = EtcdSortTarget.key
        switch (p.value("sort-by") ?? "").uppercased() {
        case "CREATE": target = .create
        case "KEY", "": target = .key
        case "MODIFY": target = .mod
        case "VALUE": target = .value
        case "VERSION": target = .version
        default: throw CtlFailure(CtlExit.badFeature, "bad sort target \(p.value("sort-by") ?? "")")
        }
        // clientv3.WithSort: sorting by key in ascending order is the server's default.
        if target == .key && order == .ascend { order = .none }
        (key, end) = rangeFor(key: key, end: end, prefix: prefix, fromKey: fromKey)

        let result = try await g.withClient { client in
            try await client.range(
                key: key, end: end, limit: limit, revision: rev, keysOnly: p.flag("keys-only"),
                countOnly: p.flag("count-only"), serializable: consistency == "s", sortOrder: order, sortTarget: target)
        }
        try CtlRPC.printResult(result, printer, g)
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

    static func put(_ p: CtlParsedArguments, _ g: CtlGlobals, stdin: () -> Data) async throws {
        let printer = try CtlPrinter(writeOut: CtlRPC.printerFormat(g), hex: g.hex)
        let usage = "put command needs 1 argument and input from stdin or 2 arguments"
        guard let keyText = p.positionals.first else { throw CtlFailure(CtlExit.badArgs, usage) }
        let ignoreValue = p.flag("ignore-value")
        if ignoreValue && p.positionals.count > 1 {
            throw CtlFailure(CtlExit.badArgs, "put command needs only 1 argument when 'ignore-value' is set")
        }
        var value: [UInt8] = []
        if !ignoreValue {
            if p.positionals.count > 1 {
                value = Array(p.positionals[1].utf8)
            } else {
                value = Array(stdin())
                if value.isEmpty { throw CtlFailure(CtlExit.badArgs, usage) }
            }
        }
        let leaseText = p.value("lease") ?? "0"
        guard let lease = Int64(leaseText, radix: 16) else {
            throw CtlFailure(CtlExit.badArgs, "bad lease ID (strconv.ParseInt: parsing \(GoFormat.quote(leaseText)): invalid syntax), expecting ID in Hex")
        }
        let result = try await g.withClient { client in
            try await client.put(key: Array(keyText.utf8), value: value, lease: lease, prevKV: p.flag("prev-kv"),
                                 ignoreValue: ignoreValue, ignoreLease: p.flag("ignore-lease"))
        }
        try CtlRPC.printResult(result, printer, g)
    }

    static func del(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let printer = try CtlPrinter(writeOut: CtlRPC.printerFormat(g), hex: g.hex)
        guard (1...2).contains(p.positionals.count) else {
            throw CtlFailure(CtlExit.badArgs, "del command needs one argument as key and an optional argument as range_end")
        }
        let prefix = p.flag("prefix"), fromKey = p.flag("from-key")
        if prefix && fromKey {
            throw CtlFailure(CtlExit.badArgs, "`--prefix` and `--from-key` cannot be set at the same time, choose one")
        }
        var key = Array(p.positionals[0].utf8)
        var end: [UInt8]?
        if p.positionals.count > 1 {
            if prefix || fromKey {
                throw CtlFailure(CtlExit.badArgs, "too many arguments, only accept one argument when `--prefix` or `--from-key` is set.")
            }
            end = Array(p.positionals[1].utf8)
        }
        (key, end) = rangeFor(key: key, end: end, prefix: prefix, fromKey: fromKey)
        let result = try await g.withClient { client in
            try await client.delete(key: key, end: end, prevKV: p.flag("prev-kv"))
        }
        try CtlRPC.printResult(result, printer, g)
    }
}
