import EtcdClient
import EtcdProto
import Foundation
import GoText

/// etcdctl's txn, compaction (watch -i / watch -- COMMAND live in CtlWatch).
enum CtlTxn {
    /// The commands this file serves, by command path (e.g. "lease grant").
    static let commands: [String: CtlCommand.Handler] = ["txn": txn, "compaction": compaction]

    // MARK: txn

    static func txn(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        if !p.positionals.isEmpty { throw CtlFailure(CtlExit.badArgs, "txn command does not accept argument") }
        let interactive = p.flag("interactive")
        let stdin = CtlStdin.shared
        var request = Etcdserverpb_TxnRequest()
        if interactive { CtlIO.out("compares:\n") }
        request.compare = try readLines(stdin, parseCompare)
        if interactive { CtlIO.out("success requests (get, put, del):\n") }
        request.success = try readLines(stdin, parseOp)
        if interactive { CtlIO.out("failure requests (get, put, del):\n") }
        request.failure = try readLines(stdin, parseOp)
        let req = request
        let response = try await g.withClient { try await $0.rpc(req) }
        try printTxn(response, format, g)
    }

    static func printTxn(_ r: Etcdserverpb_TxnResponse, _ format: CtlFormat, _ g: CtlGlobals) throws {
        switch format {
        case .simple, .fields:
            let printer = try format.kvPrinter(g)
            if format == .simple {
                CtlIO.out(r.succeeded ? "SUCCESS\n" : "FAILURE\n")
            } else {
                CtlIO.out(CtlRPC.fieldsHeader(r.header) + "\"Succeeded\" : \(r.succeeded)\n")
            }
            for op in r.responses {
                if format == .simple { CtlIO.out("\n") }
                switch op.response {
                case .responseDeleteRange(let x)?: try printer.del(EtcdDeleteResult(x))
                case .responsePut(let x)?: try printer.put(EtcdPutResult(x))
                case .responseRange(let x)?: try printer.get(EtcdRangeResult(x))
                default:
                    CtlIO.out(format == .simple ? "unexpected response \(op)\n" : "\"Unknown\" : \"\"\n")
                }
            }
        case .json:
            CtlIO.out(txnJSON(r).text + "\n")
        case .protobuf:
            try CtlRPC.printProtobuf(r)
        case .table:
            throw format.unsupported
        }
    }

    static func txnJSON(_ r: Etcdserverpb_TxnResponse) -> GoJSON {
        var o = GoJSONObject()
        o.add("header", CtlRPC.header(r.header))
        o.omitEmpty("succeeded", bool: r.succeeded)
        o.omitEmpty("responses", array: r.responses.map { op in
            var inner: [(String, GoJSON)] = []
            switch op.response {
            case .responseRange(let x)?:
                var v = GoJSONObject()
                v.add("header", CtlRPC.header(x.header))
                v.omitEmpty("kvs", array: x.kvs.map { CtlPrinter.kv(EtcdKeyValue($0)) })
                v.omitEmpty("more", bool: x.more)
                v.omitEmpty("count", int: x.count)
                inner = [("response_range", v.json)]
            case .responsePut(let x)?:
                var v = GoJSONObject()
                v.add("header", CtlRPC.header(x.header))
                if x.hasPrevKv { v.add("prev_kv", CtlPrinter.kv(EtcdKeyValue(x.prevKv))) }
                inner = [("response_put", v.json)]
            case .responseDeleteRange(let x)?:
                var v = GoJSONObject()
                v.add("header", CtlRPC.header(x.header))
                v.omitEmpty("deleted", int: x.deleted)
                v.omitEmpty("prev_kvs", array: x.prevKvs.map { CtlPrinter.kv(EtcdKeyValue($0)) })
                inner = [("response_delete_range", v.json)]
            case .responseTxn(let x)?:
                inner = [("response_txn", txnJSON(x))]
            case nil:
                return GoJSON.object([])
            }
            return GoJSON.object([("Response", .object(inner))])
        })
        return o.json
    }

    /// Lines up to an empty one, each parsed; the end of input before it is etcdctl's `EOF` error.
    private static func readLines<T>(_ stdin: CtlStdin, _ parse: (String) throws -> T) throws -> [T] {
        var out: [T] = []
        while true {
            guard let raw = stdin.readLine() else { throw CtlFailure(CtlExit.invalidInput, "EOF") }
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { break }
            out.append(try parse(line))
        }
        return out
    }

    /// etcdctl's `parseCompare`: `target("key") op "value"`.
    static func parseCompare(_ line: String) throws -> Etcdserverpb_Compare {
        guard let paren = line.firstIndex(of: "(") else {
            throw CtlFailure(CtlExit.invalidInput, "malformed comparison: \(line)")
        }
        let target = String(line[..<paren])
        // fmt.Sscanf(rest, "%q) %s %q", &key, &op, &val)
        var rest = Substring(line[line.index(after: paren)...])
        var key = "", op = "", val = ""
        var n = 0
        func skipSpaces() { while rest.first == " " || rest.first == "\t" { rest = rest.dropFirst() } }
        scan: do {
            skipSpaces()
            guard let k = GoQuote.unquote(String(rest)) else { break scan }
            key = k.text
            rest = rest.dropFirst(k.used)
            n = 1
            guard rest.first == ")" else { break scan }
            rest = rest.dropFirst()
            skipSpaces()
            let word = rest.prefix { $0 != " " && $0 != "\t" && $0 != "\n" }
            guard !word.isEmpty else { break scan }
            op = String(word)
            rest = rest.dropFirst(word.count)
            n = 2
            skipSpaces()
            guard let v = GoQuote.unquote(String(rest)) else { break scan }
            val = v.text
            n = 3
        }
        if n != 3 {
            throw CtlFailure(CtlExit.invalidInput,
                             "malformed comparison: \(line); got \(target)(\(GoQuote.quote(key))) \(op) \(GoQuote.quote(val))")
        }
        var c = Etcdserverpb_Compare()
        c.key = Data(key.utf8)
        func int(_ base: Int) throws -> Int64 {
            guard let v = Int64(val, radix: base) else {
                throw CtlFailure(CtlExit.invalidInput, "invalid txn compare request: \(line)")
            }
            return v
        }
        switch target {
        case "ver", "version":
            c.target = .version
            c.targetUnion = .version(try int(10))
        case "c", "create":
            c.target = .create
            c.targetUnion = .createRevision(try int(10))
        case "m", "mod":
            c.target = .mod
            c.targetUnion = .modRevision(try int(10))
        case "val", "value":
            c.target = .value
            c.targetUnion = .value(Data(val.utf8))
        case "lease":
            _ = try int(16)
            // clientv3 3.5.1's Compare panics on a LeaseValue target (mustInt64 of a LeaseID).
            goPanic("bad value")
        default:
            throw CtlFailure(CtlExit.invalidInput, "malformed comparison: \(line) (unknown target \(target))")
        }
        switch op {
        case "=", "==": c.result = .equal
        case "!=": c.result = .notEqual
        case "<": c.result = .less
        case ">": c.result = .greater
        default: goPanic("Unknown result op")
        }
        return c
    }

    /// A Go panic: its message on stderr, exit status 2.
    static func goPanic(_ message: String) -> Never {
        CtlIO.err("panic: \(message)\n\ngoroutine 1 [running]:\n")
        exit(2)
    }

    /// etcdctl's `parseRequestUnion`: a get, put or del command line.
    static func parseOp(_ line: String) throws -> Etcdserverpb_RequestOp {
        let args = CtlArgify.split(line)
        if args.count < 2 { throw CtlFailure(CtlExit.invalidInput, "invalid txn compare request: \(line)") }
        let invalid = CtlFailure(CtlExit.invalidInput, "invalid txn request: \(line)")
        guard ["get", "put", "del"].contains(args[0]) else { throw invalid }
        let p: CtlParsedArguments
        do {
            p = try CtlArgumentParser.parse(args)
        } catch {
            throw invalid
        }
        guard p.path == [args[0]], p.values.keys.allSatisfy({ !globalNames.contains($0) }),
              p.bools.keys.allSatisfy({ !globalNames.contains($0) })
        else { throw invalid }
        var op = Etcdserverpb_RequestOp()
        switch args[0] {
        case "get": op.request = .requestRange(try getOp(p))
        case "put": op.request = .requestPut(try CtlKV.putRequest(p, stdin: { Data() }))
        default: op.request = .requestDeleteRange(try CtlKV.deleteRequest(p))
        }
        return op
    }

    private static let globalNames = Set(CtlArgumentParser.globalFlags.map(\.name))

    /// etcdctl's `getGetOp`.
    static func getOp(_ p: CtlParsedArguments) throws -> Etcdserverpb_RangeRequest {
        guard !p.positionals.isEmpty else { throw CtlFailure(CtlExit.badArgs, CtlKV.getUsage) }
        let (prefix, fromKey) = try CtlKV.rangeFlags(p)
        let serializable = try CtlKV.consistency(p)
        let (key, end) = try CtlKV.range(p.positionals, prefix: prefix, fromKey: fromKey)
        return try CtlKV.rangeRequest(p, key: key, end: end, serializable: serializable, revision: { max($0, 0) })
    }

    // MARK: compaction

    static func compaction(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        guard p.positionals.count == 1 else { throw CtlFailure(CtlExit.badArgs, "compaction command needs 1 argument") }
        let rev = try GoStrconv.parseInt(p.positionals[0])
        var request = Etcdserverpb_CompactionRequest()
        request.revision = rev
        request.physical = p.flag("physical")
        let req = request
        _ = try await g.withClient { try await $0.rpc(req) }
        CtlIO.out("compacted revision \(rev)\n")
    }
}
