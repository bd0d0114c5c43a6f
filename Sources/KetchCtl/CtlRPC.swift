import EtcdProto
import EtcdClient
import Foundation
import SwiftProtobuf

/// What the commands printed from etcd's wire messages share: headers in each format, one
/// endpoint's own client, error texts, and `-w protobuf` for the commands CtlPrinter prints.
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
        CtlPrinter.headerFields(EtcdResponseHeader(h))
    }

    /// The fields printer's header lines.
    static func fieldsHeader(_ h: Etcdserverpb_ResponseHeader) -> String { CtlPrinter.fieldsHeader(EtcdResponseHeader(h)) }

    /// `{"header":{…}}` and the rest.
    static func json(_ h: Etcdserverpb_ResponseHeader, _ rest: [(String, GoJSON)] = []) -> GoJSON {
        .object([("header", header(h))] + rest)
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
        return try await CtlGlobals.withClient(configuration, body)
    }

    /// Closes the clients without waiting (etcdctl exits without closing its clients).
    static func closeLater(_ clients: [EtcdClient]) {
        Task { for c in clients { await c.close() } }
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
