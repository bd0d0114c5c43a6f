import EtcdClient
import EtcdProto
import Foundation
import GoText

/// etcdctl's lease grant/revoke/timetolive/list/keep-alive.
enum CtlLease {
    /// The commands this file serves, by command path (e.g. "lease grant").
    static let commands: [String: CtlCommand.Handler] = [
        "lease grant": grant, "lease revoke": revoke, "lease timetolive": timeToLive, "lease list": list,
        "lease keep-alive": keepAlive,
    ]

    static func leaseID(_ text: String) throws -> Int64 {
        do {
            return try GoStrconv.parseInt(text, base: 16)
        } catch let f as CtlFailure {
            throw CtlFailure(CtlExit.badArgs, "bad lease ID arg (\(f.message)), expecting ID in Hex")
        }
    }

    /// Sends a lease request; etcdctl words each command's failure its own way (`reword`).
    private static func call<R: Sendable>(_ g: CtlGlobals, _ reword: (CtlFailure) -> CtlFailure,
                                          _ body: (EtcdClient) async throws -> R) async throws -> R {
        do {
            return try await g.withClient(body)
        } catch let f as CtlFailure {
            throw reword(f)
        }
    }

    /// How grant and revoke word a failure: `failed to <verb> lease (<message>)`.
    private static func failed(_ verb: String) -> (CtlFailure) -> CtlFailure {
        { CtlFailure($0.code, "failed to \(verb) lease (\($0.message))") }
    }

    /// How timetolive, list and keep-alive word a failure: etcd's message, as a bad connection.
    private static func badConnection(_ f: CtlFailure) -> CtlFailure { CtlFailure(CtlExit.badConnection, f.message) }

    /// clientv3's lease responses embed `*pb.ResponseHeader`: its fields come first in JSON, and
    /// the protobuf printer marshals only the header.
    static func printLease(_ format: CtlFormat, header: Etcdserverpb_ResponseHeader, id: Int64, ttl: Int64,
                                   simple: String, withError: Bool) throws {
        var json = CtlRPC.inlineHeader(header) + [("ID", GoJSON.int(id)), ("TTL", .int(ttl))]
        if withError { json.append(("Error", .string(""))) }
        try format.print(simple: simple, json: .object(json), fields: CtlRPC.fieldsHeader(header) + "\"ID\" : \(id)\n\"TTL\" : \(ttl)\n",
                         protobuf: header)
    }

    static func grant(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        guard p.positionals.count == 1 else { throw CtlFailure(CtlExit.badArgs, "lease grant command needs TTL argument") }
        var request = Etcdserverpb_LeaseGrantRequest()
        do {
            request.ttl = try GoStrconv.parseInt(p.positionals[0])
        } catch let f as CtlFailure {
            throw CtlFailure(CtlExit.badArgs, "bad TTL (\(f.message))")
        }
        let r = try await call(g, failed("grant")) { [request] in try await $0.rpc(request) }
        if !r.error.isEmpty { throw CtlFailure(CtlExit.error, "failed to grant lease (\(r.error))") }
        try printLease(format, header: r.header, id: r.id, ttl: r.ttl,
                       simple: "lease \(GoFormat.hex16(r.id)) granted with TTL(\(r.ttl)s)\n", withError: true)
    }

    static func revoke(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        guard p.positionals.count == 1 else { throw CtlFailure(CtlExit.badArgs, "lease revoke command needs 1 argument") }
        var request = Etcdserverpb_LeaseRevokeRequest()
        request.id = try leaseID(p.positionals[0])
        let r = try await call(g, failed("revoke")) { [request] in try await $0.rpc(request) }
        if format == .protobuf {
            throw CtlFailure(CtlExit.badFeature, "marshal unsupported for type clientv3.LeaseRevokeResponse")
        }
        try format.print(simple: "lease \(GoFormat.hex16(request.id)) revoked\n", json: CtlRPC.json(r.header),
                         fields: CtlRPC.fieldsHeader(r.header))
    }

    static func timeToLive(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        guard p.positionals.count == 1 else {
            throw CtlFailure(CtlExit.badArgs, "lease timetolive command needs lease ID as argument")
        }
        var request = Etcdserverpb_LeaseTimeToLiveRequest()
        request.id = try leaseID(p.positionals[0])
        request.keys = p.flag("keys")
        let r = try await call(g, badConnection) { [request] in try await $0.rpc(request) }
        if format == .simple && r.grantedTtl == 0 && r.ttl == -1 {
            CtlIO.out("lease \(GoFormat.hex16(r.id)) already expired\n")
            return
        }
        var simple = "lease \(GoFormat.hex16(r.id)) granted with TTL(\(r.grantedTtl)s), remaining(\(r.ttl)s)"
        if request.keys {
            simple += ", attached keys(" + GoFormat.list(r.keys.map { String(decoding: $0, as: UTF8.self) }) + ")"
        }
        try format.print(
            simple: simple + "\n",
            json: .object(CtlRPC.inlineHeader(r.header) + [
                ("id", GoJSON.int(r.id)), ("ttl", .int(r.ttl)), ("granted-ttl", .int(r.grantedTtl)),
                ("keys", r.keys.isEmpty ? .null : .array(r.keys.map { .bytes(Array($0)) })),
            ]),
            fields: CtlRPC.fieldsHeader(r.header) + "\"ID\" : \(r.id)\n\"TTL\" : \(r.ttl)\n\"GrantedTTL\" : \(r.grantedTtl)\n"
                + r.keys.map { "\"Key\" : \(GoQuote.quote(Array($0)))\n" }.joined(),
            protobuf: r.header)
    }

    static func list(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        let r = try await call(g, badConnection) { try await $0.rpc(Etcdserverpb_LeaseLeasesRequest()) }
        try format.print(
            simple: "found \(r.leases.count) leases\n" + r.leases.map { GoFormat.hex16($0.id) + "\n" }.joined(),
            json: .object(CtlRPC.inlineHeader(r.header) + [("leases", GoJSON.array(r.leases.map { .object([("id", .int($0.id))]) }))]),
            fields: CtlRPC.fieldsHeader(r.header) + r.leases.map { "\"ID\" : \($0.id)\n" }.joined(),
            protobuf: r.header)
    }

    static func keepAlive(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        guard p.positionals.count == 1 else {
            throw CtlFailure(CtlExit.badArgs, "lease keep-alive command needs lease ID as argument")
        }
        let id = try leaseID(p.positionals[0])
        func show(_ l: EtcdLease) throws {
            try printLease(format, header: CtlRPC.wire(l.header), id: l.id, ttl: l.ttl,
                           simple: "lease \(GoFormat.hex16(l.id)) keepalived with TTL(\(l.ttl))\n", withError: false)
        }
        if p.flag("once") {
            let lease = try await call(g, badConnection) { client in
                let l = try await client.leaseKeepAliveOnce(id: id)
                if l.ttl <= 0 { throw CtlFailure(CtlExit.badConnection, "etcdserver: requested lease not found") }
                return l
            }
            try show(lease)
            return
        }
        try await g.withUnlimitedClient { client in
            for try await lease in client.leaseKeepAlive(id: id) { try show(lease) }
        } failure: { CtlFailure(CtlExit.badConnection, CtlRPC.message($0)) }
        if format == .simple { CtlIO.out("lease \(GoFormat.hex16(id)) expired or revoked.\n") }
    }
}
