import EtcdAPI
import EtcdClient
import Foundation
import SwiftProtobuf

/// The output formats of the commands printed from etcd's wire messages (txn, lease, alarm,
/// member add/remove/update, hashkv, auth), as etcdctl 3.5's printers: `simple`, `json`, `fields`,
/// `table` (mostly unsupported), and `protobuf` (the response message's bytes).
enum CtlFormat: String {
    case simple, json, fields, table, protobuf

    init(_ g: CtlGlobals) throws {
        guard let f = CtlFormat(rawValue: g.writeOut) else {
            throw CtlFailure(CtlExit.badFeature, "unsupported output format")
        }
        self = f
    }

    /// etcdctl's `printerUnsupported`: "<format> not supported as output format".
    var unsupported: CtlFailure { CtlFailure(CtlExit.badFeature, "\(rawValue) not supported as output format") }

    /// The printer for the kv parts (simple/fields/json of get, put, del).
    func kvPrinter(_ g: CtlGlobals) throws -> CtlPrinter {
        try CtlPrinter(writeOut: self == .protobuf || self == .table ? "simple" : rawValue, hex: g.hex)
    }
}

enum CtlRPC {
    /// `fmt.Print(string(m.Marshal()))`.
    static func printProtobuf(_ message: some SwiftProtobuf.Message) throws {
        let bytes: [UInt8] = try message.serializedBytes()
        CtlIO.outBytes(bytes)
    }

    /// A response header as JSON (`omitempty` fields).
    static func header(_ h: Etcdserverpb_ResponseHeader) -> GoJSON { CtlPrinter.header(EtcdResponseHeader(h)) }

    /// The header's fields inlined (Go's embedded `*pb.ResponseHeader` in clientv3's lease responses).
    static func inlineHeader(_ h: Etcdserverpb_ResponseHeader) -> [(String, GoJSON)] {
        var o = GoJSONObject()
        o.omitEmpty("cluster_id", uint: h.clusterID)
        o.omitEmpty("member_id", uint: h.memberID)
        o.omitEmpty("revision", int: h.revision)
        o.omitEmpty("raft_term", uint: h.raftTerm)
        return o.fields
    }

    /// The fields printer's header lines.
    static func fieldsHeader(_ h: Etcdserverpb_ResponseHeader) -> String {
        "\"ClusterID\" : \(h.clusterID)\n\"MemberID\" : \(h.memberID)\n\"Revision\" : \(h.revision)\n\"RaftTerm\" : \(h.raftTerm)\n"
    }

    /// `{"header":{…}}` and the rest.
    static func printJSON(_ h: Etcdserverpb_ResponseHeader, _ rest: [(String, GoJSON)]) {
        CtlIO.out(GoJSON.object([("header", header(h))] + rest).text + "\n")
    }

    /// Go's `%16x`: hex, left-padded with spaces to 16.
    static func hexPadded(_ n: UInt64) -> String {
        let s = String(n, radix: 16)
        return String(repeating: " ", count: max(0, 16 - s.count)) + s
    }

    /// etcd's `types.ID.String()`: hex without padding.
    static func idString(_ n: UInt64) -> String { String(n, radix: 16) }

    /// Runs a call against one endpoint's own client, closing it after.
    static func withEndpoint<R: Sendable>(_ g: CtlGlobals, _ endpoint: String, timeout: Duration? = nil,
                                          _ body: (EtcdClient) async throws -> R) async throws -> R {
        var configuration = g.clientConfiguration(endpoints: [endpoint])
        if let timeout { configuration.requestTimeout = timeout }
        let client: EtcdClient
        do {
            client = try EtcdClient.lazy(configuration)
        } catch let error as EtcdClientError {
            throw CtlFailure(CtlExit.badArgs, error.description)
        }
        do {
            let r = try await body(client)
            await client.close()
            return r
        } catch {
            await client.close()
            throw error
        }
    }

    /// An error's message as etcdctl prints it (after `Error: ` or inside parentheses).
    static func message(_ error: any Error) -> String {
        switch error {
        case let f as CtlFailure: return f.message
        case let e as EtcdClientError:
            switch e {
            case .unavailable, .deadlineExceeded: return "context deadline exceeded"
            default: return e.description
            }
        default: return "\(error)"
        }
    }

    /// The members' client URLs with `--cluster`, else the endpoints given.
    static func endpoints(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws -> [String] {
        guard p.flag("cluster") else { return g.endpoints }
        let members = try await g.withClient { try await $0.memberList() }
        return members.members.flatMap(\.clientURLs)
    }
}

/// Go's `strconv.ParseInt` / `ParseUint` with their error texts.
enum GoStrconv {
    static func parseInt(_ text: String, base: Int = 10) throws -> Int64 {
        if let v = Int64(text, radix: base), !text.hasPrefix("+") || text.count > 1 { return v }
        throw CtlFailure(CtlExit.error, "strconv.ParseInt: parsing \(GoFormat.quote(text)): \(rangeOrSyntax(text, base: base, signed: true))")
    }

    static func parseUint(_ text: String, base: Int = 10) throws -> UInt64 {
        if !text.hasPrefix("+"), !text.hasPrefix("-"), let v = UInt64(text, radix: base) { return v }
        throw CtlFailure(CtlExit.error, "strconv.ParseUint: parsing \(GoFormat.quote(text)): \(rangeOrSyntax(text, base: base, signed: false))")
    }

    private static func rangeOrSyntax(_ text: String, base: Int, signed: Bool) -> String {
        var body = Substring(text)
        if signed, body.hasPrefix("-") || body.hasPrefix("+") { body = body.dropFirst() }
        let digits = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".prefix(base <= 10 ? base : 10 + 2 * (base - 10)))
        let valid = !body.isEmpty && body.allSatisfy { c in
            if c.isNumber { return digits.contains(c) }
            return base > 10 && digits.contains(c)
        }
        return valid ? "value out of range" : "invalid syntax"
    }
}

/// Byte-wise reading of standard input, as Go's `bufio.Reader` over `os.Stdin`.
final class CtlStdin: @unchecked Sendable {
    static let shared = CtlStdin()
    private var buffer: [UInt8] = []
    private var eof = false

    private func fill() -> Bool {
        if eof { return false }
        let data = FileHandle.standardInput.availableData
        if data.isEmpty {
            eof = true
            return false
        }
        buffer += data
        return true
    }

    /// `ReadString('\n')`: the line with its newline; nil at end of input when no newline came
    /// (Go returns the partial line with `io.EOF`).
    func readLine() -> String? {
        while true {
            if let i = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[...i])
                buffer.removeFirst(i + 1)
                return String(decoding: line, as: UTF8.self)
            }
            if !fill() { return nil }
        }
    }

    /// speakeasy's readline: bytes up to a newline or the end (no error at the end), `\r` dropped.
    func readPasswordLine() -> String {
        while true {
            if let i = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<i])
                buffer.removeFirst(i + 1)
                var s = String(decoding: line, as: UTF8.self)
                if s.hasSuffix("\r") { s.removeLast() }
                return s
            }
            if !fill() {
                let s = String(decoding: buffer, as: UTF8.self)
                buffer = []
                return s.hasSuffix("\r") ? String(s.dropLast()) : s
            }
        }
    }

    /// `fmt.Scanf("%s", &s)`: the first space-separated word of the first line.
    func scanWord() -> String {
        // Scanf stops at a newline; leading spaces are skipped.
        var word: [UInt8] = []
        while true {
            if buffer.isEmpty, !fill() { break }
            let b = buffer.removeFirst()
            if b == 0x20 || b == 0x09 || b == 0x0D {
                if word.isEmpty { continue }
                break
            }
            if b == 0x0A { break }
            word.append(b)
        }
        return String(decoding: word, as: UTF8.self)
    }
}

/// etcdctl's `Argify`: a line split into words, "double-quoted" (Go-unquoted) and 'single-quoted'
/// strings kept whole.
enum CtlArgify {
    static let pattern = try! NSRegularExpression(pattern: #""(?:[^"\\]|\\.)*"|'[^']*'|[^'"\s]\S*[^'"\s]?"#)

    static func split(_ line: String) -> [String] {
        let ns = line as NSString
        var args = pattern.matches(in: line, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
        let count = args.count
        for i in args.indices where !args[i].isEmpty {
            if args[i].hasPrefix("'") {
                // etcdctl slices [1 : len(args)-1] (the number of words, not the word's length).
                let bytes = Array(args[i].utf8)
                let end = count - 1
                if end > bytes.count || end < 1 {
                    CtlTxn.goPanic("runtime error: slice bounds out of range [\(end < 1 ? "1:\(end)" : ":\(end)")] with length \(bytes.count)")
                }
                args[i] = String(decoding: bytes[1..<end], as: UTF8.self)
            } else if args[i].hasPrefix("\""), let unquoted = GoQuote.unquote(args[i]) {
                args[i] = unquoted.text
            }
        }
        return args
    }
}

/// Go's `%q` scanning (a double-quoted Go string or a back-quoted raw string).
enum GoQuote {
    /// Unquotes the quoted string at the start of `s`; returns it and how many characters it used.
    static func unquote(_ s: String) -> (text: String, used: Int)? {
        let chars = Array(s)
        guard let first = chars.first else { return nil }
        if first == "`" {
            guard let close = chars.dropFirst().firstIndex(of: "`") else { return nil }
            return (String(chars[1..<close]), close + 1)
        }
        guard first == "\"" else { return nil }
        var out: [UInt8] = []
        var i = 1
        while i < chars.count {
            let c = chars[i]
            if c == "\"" { return (String(decoding: out, as: UTF8.self), i + 1) }
            if c == "\n" { return nil }
            if c != "\\" {
                out += Array(String(c).utf8)
                i += 1
                continue
            }
            i += 1
            guard i < chars.count else { return nil }
            let e = chars[i]
            i += 1
            switch e {
            case "a": out.append(7)
            case "b": out.append(8)
            case "f": out.append(12)
            case "n": out.append(10)
            case "r": out.append(13)
            case "t": out.append(9)
            case "v": out.append(11)
            case "\\": out.append(0x5C)
            case "\"": out.append(0x22)
            case "'": out.append(0x27)
            case "x", "u", "U":
                let n = e == "x" ? 2 : e == "u" ? 4 : 8
                guard i + n <= chars.count, let v = UInt32(String(chars[i..<i + n]), radix: 16) else { return nil }
                i += n
                if e == "x" {
                    out.append(UInt8(v))
                } else {
                    guard let scalar = Unicode.Scalar(v) else { return nil }
                    out += Array(String(Character(scalar)).utf8)
                }
            case "0"..."7":
                guard i + 2 <= chars.count, let v = UInt32(String([e] + chars[i..<i + 2]), radix: 8), v < 256 else { return nil }
                i += 2
                out.append(UInt8(v))
            default: return nil
            }
        }
        return nil
    }
}

// MARK: -w protobuf for the commands printed by CtlPrinter

extension CtlRPC {
    /// The format for CtlPrinter: `protobuf` is printed here, the rest by CtlPrinter.
    static func printerFormat(_ g: CtlGlobals) -> String { g.writeOut == "protobuf" ? "simple" : g.writeOut }

    static func unsupportedProtobuf(_ g: CtlGlobals) throws {
        if g.writeOut == "protobuf" { throw CtlFormat.protobuf.unsupported }
    }

    static func wire(_ h: EtcdResponseHeader) -> Etcdserverpb_ResponseHeader {
        var w = Etcdserverpb_ResponseHeader()
        w.clusterID = h.clusterID
        w.memberID = h.memberID
        w.revision = h.revision
        w.raftTerm = h.raftTerm
        return w
    }

    static func wire(_ kv: EtcdKeyValue) -> Mvccpb_KeyValue {
        var w = Mvccpb_KeyValue()
        w.key = Data(kv.key)
        w.createRevision = kv.createRevision
        w.modRevision = kv.modRevision
        w.version = kv.version
        w.value = Data(kv.value)
        w.lease = kv.lease
        return w
    }

    static func printResult(_ r: EtcdRangeResult, _ printer: CtlPrinter, _ g: CtlGlobals) throws {
        guard g.writeOut == "protobuf" else { return try printer.get(r) }
        var w = Etcdserverpb_RangeResponse()
        w.header = wire(r.header)
        w.kvs = r.kvs.map(wire)
        w.more = r.more
        w.count = r.count
        try printProtobuf(w)
    }

    static func printResult(_ r: EtcdPutResult, _ printer: CtlPrinter, _ g: CtlGlobals) throws {
        guard g.writeOut == "protobuf" else { return try printer.put(r) }
        var w = Etcdserverpb_PutResponse()
        w.header = wire(r.header)
        if let p = r.prevKV { w.prevKv = wire(p) }
        try printProtobuf(w)
    }

    static func printResult(_ r: EtcdDeleteResult, _ printer: CtlPrinter, _ g: CtlGlobals) throws {
        guard g.writeOut == "protobuf" else { return try printer.del(r) }
        var w = Etcdserverpb_DeleteRangeResponse()
        w.header = wire(r.header)
        w.deleted = r.deleted
        w.prevKvs = r.prevKVs.map(wire)
        try printProtobuf(w)
    }

    static func printResult(_ r: EtcdMemberList, _ printer: CtlPrinter, _ g: CtlGlobals) throws {
        guard g.writeOut == "protobuf" else { return try printer.memberList(r) }
        var w = Etcdserverpb_MemberListResponse()
        w.header = wire(r.header)
        w.members = r.members.map { m in
            var x = Etcdserverpb_Member()
            x.id = m.id
            x.name = m.name
            x.peerUrls = m.peerURLs
            x.clientUrls = m.clientURLs
            x.isLearner = m.isLearner
            return x
        }
        try printProtobuf(w)
    }

    /// etcdctl's protobuf watch printer: a WatchResponse of the header, events, compact revision,
    /// canceled and created flags.
    static func printResult(_ b: EtcdWatchBatch, _ printer: CtlPrinter, protobuf: Bool) throws {
        guard protobuf else { return try printer.watch(b) }
        var w = Etcdserverpb_WatchResponse()
        w.header = wire(b.header)
        w.events = b.events.map { e in
            var x = Mvccpb_Event()
            x.type = e.type == .put ? .put : .delete
            x.kv = wire(e.kv)
            if let p = e.prevKV { x.prevKv = wire(p) }
            return x
        }
        w.compactRevision = b.compactRevision
        w.canceled = b.isCanceled
        try printProtobuf(w)
    }
}
