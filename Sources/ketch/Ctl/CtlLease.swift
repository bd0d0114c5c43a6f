import EtcdAPI
import EtcdClient
import Foundation

/// etcdctl's lease grant/revoke/timetolive/list/keep-alive.
enum CtlLease {
    /// The commands this file serves, by command path (e.g. "lease grant").
    static let commands: [String: CtlCommand.Handler] = [
        "lease grant": { p, g in try await grant(p, g) },
        "lease revoke": { p, g in try await revoke(p, g) },
        "lease timetolive": { p, g in try await timeToLive(p, g) },
        "lease list": { p, g in try await list(p, g) },
        "lease keep-alive": { p, g in try await keepAlive(p, g) },
    ]

    static func leaseID(_ text: String) throws -> Int64 {
        do {
            return try GoStrconv.parseInt(text, base: 16)
        } catch let f as CtlFailure {
            throw CtlFailure(CtlExit.badArgs, "bad lease ID arg (\(f.message)), expecting ID in Hex")
        }
    }

    /// clientv3's lease responses embed `*pb.ResponseHeader`: its fields come first in JSON, and
    /// the protobuf printer marshals only the header.
    private static func printLease(_ format: CtlFormat, header: Etcdserverpb_ResponseHeader, id: Int64, ttl: Int64,
                                   simple: String, withError: Bool) throws {
        switch format {
        case .simple: CtlIO.out(simple)
        case .json:
            var fields = CtlRPC.inlineHeader(header) + [("ID", GoJSON.int(id)), ("TTL", .int(ttl))]
            if withError { fields.append(("Error", .string(""))) }
            CtlIO.out(GoJSON.object(fields).text + "\n")
        case .fields:
            CtlIO.out(CtlRPC.fieldsHeader(header) + "\"ID\" : \(id)\n\"TTL\" : \(ttl)\n")
        case .protobuf: try CtlRPC.printProtobuf(header)
        case .table: throw format.unsupported
        }
    }

    static func grant(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        guard p.positionals.count == 1 else { throw CtlFailure(CtlExit.badArgs, "lease grant command needs TTL argument") }
        let ttl: Int64
        do {
            ttl = try GoStrconv.parseInt(p.positionals[0])
        } catch let f as CtlFailure {
            throw CtlFailure(CtlExit.badArgs, "bad TTL (\(f.message))")
        }
        var request = Etcdserverpb_LeaseGrantRequest()
        request.ttl = ttl
        let req = request
        let r: Etcdserverpb_LeaseGrantResponse
        do {
            r = try await g.withClient { try await $0.rpc(req) }
        } catch let f as CtlFailure {
            throw CtlFailure(f.code, "failed to grant lease (\(f.message))")
        }
        if !r.error.isEmpty { throw CtlFailure(CtlExit.error, "failed to grant lease (\(r.error))") }
        try printLease(format, header: r.header, id: r.id, ttl: r.ttl,
                       simple: "lease \(GoFormat.hex16(r.id)) granted with TTL(\(r.ttl)s)\n", withError: true)
    }

    static func revoke(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        guard p.positionals.count == 1 else { throw CtlFailure(CtlExit.badArgs, "lease revoke command needs 1 argument") }
        let id = try leaseID(p.positionals[0])
        var request = Etcdserverpb_LeaseRevokeRequest()
        request.id = id
        let req = request
        let r: Etcdserverpb_LeaseRevokeResponse
        do {
            r = try await g.withClient { try await $0.rpc(req) }
        } catch let f as CtlFailure {
            throw CtlFailure(f.code, "failed to revoke lease (\(f.message))")
        }
        switch format {
        case .simple: CtlIO.out("lease \(GoFormat.hex16(id)) revoked\n")
        case .json: CtlRPC.printJSON(r.header, [])
        case .fields: CtlIO.out(CtlRPC.fieldsHeader(r.header))
        case .protobuf:
            throw CtlFailure(CtlExit.badFeature, "marshal unsupported for type clientv3.LeaseRevokeResponse")
        case .table: throw format.unsupported
        }
    }

    static func timeToLive(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        guard p.positionals.count == 1 else {
            throw CtlFailure(CtlExit.badArgs, "lease timetolive command needs lease ID as argument")
        }
        let id = try leaseID(p.positionals[0])
        let keys = p.flag("keys")
        var request = Etcdserverpb_LeaseTimeToLiveRequest()
        request.id = id
        request.keys = keys
        let req = request
        let r: Etcdserverpb_LeaseTimeToLiveResponse
        do {
            r = try await g.withClient { try await $0.rpc(req) }
        } catch let f as CtlFailure {
            throw CtlFailure(CtlExit.badConnection, f.message)
        }
        switch format {
        case .simple:
            if r.grantedTtl == 0 && r.ttl == -1 {
                CtlIO.out("lease \(GoFormat.hex16(r.id)) already expired\n")
                return
            }
            var text = "lease \(GoFormat.hex16(r.id)) granted with TTL(\(r.grantedTtl)s), remaining(\(r.ttl)s)"
            if keys {
                text += ", attached keys(" + GoFormat.list(r.keys.map { String(decoding: $0, as: UTF8.self) }) + ")"
            }
            CtlIO.outBytes(Array((text + "\n").utf8))
        case .json:
            let fields = CtlRPC.inlineHeader(r.header) + [
                ("id", GoJSON.int(r.id)), ("ttl", .int(r.ttl)), ("granted-ttl", .int(r.grantedTtl)),
                ("keys", r.keys.isEmpty ? .null : .array(r.keys.map { .bytes(Array($0)) })),
            ]
            CtlIO.out(GoJSON.object(fields).text + "\n")
        case .fields:
            CtlIO.out(CtlRPC.fieldsHeader(r.header) + "\"ID\" : \(r.id)\n\"TTL\" : \(r.ttl)\n\"GrantedTTL\" : \(r.grantedTtl)\n"
                      + r.keys.map { "\"Key\" : \(GoFormat.quote(Array($0)))\n" }.joined())
        case .protobuf: try CtlRPC.printProtobuf(r.header)
        case .table: throw format.unsupported
        }
    }

    static func list(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        let r: Etcdserverpb_LeaseLeasesResponse
        do {
            r = try await g.withClient { try await $0.rpc(Etcdserverpb_LeaseLeasesRequest()) }
        } catch let f as CtlFailure {
            throw CtlFailure(CtlExit.badConnection, f.message)
        }
        switch format {
        case .simple:
            CtlIO.out("found \(r.leases.count) leases\n" + r.leases.map { GoFormat.hex16($0.id) + "\n" }.joined())
        case .json:
            let fields = CtlRPC.inlineHeader(r.header) + [
                ("leases", GoJSON.array(r.leases.map { .object([("id", .int($0.id))]) })),
            ]
            CtlIO.out(GoJSON.object(fields).text + "\n")
        case .fields:
            CtlIO.out(CtlRPC.fieldsHeader(r.header) + r.leases.map { "\"ID\" : \($0.id)\n" }.joined())
        case .protobuf: try CtlRPC.printProtobuf(r.header)
        case .table: throw format.unsupported
        }
    }

    static func keepAlive(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        guard p.positionals.count == 1 else {
            throw CtlFailure(CtlExit.badArgs, "lease keep-alive command needs lease ID as argument")
        }
        let id = try leaseID(p.positionals[0])
        func show(_ l: EtcdLease) throws {
            var h = Etcdserverpb_ResponseHeader()
            h.clusterID = l.header.clusterID
            h.memberID = l.header.memberID
            h.revision = l.header.revision
            h.raftTerm = l.header.raftTerm
            try printLease(format, header: h, id: l.id, ttl: l.ttl,
                           simple: "lease \(GoFormat.hex16(l.id)) keepalived with TTL(\(l.ttl))\n", withError: false)
        }
        if p.flag("once") {
            let lease: EtcdLease
            do {
                lease = try await g.withClient { client in
                    let l = try await client.leaseKeepAliveOnce(id: id)
                    if l.ttl <= 0 { throw CtlFailure(CtlExit.badConnection, "etcdserver: requested lease not found") }
                    return l
                }
            } catch let f as CtlFailure {
                throw CtlFailure(CtlExit.badConnection, f.message)
            }
            try show(lease)
            return
        }
        var configuration = g.clientConfiguration()
        configuration.requestTimeout = nil
        let client: EtcdClient
        do {
            client = try EtcdClient.lazy(configuration)
        } catch {
            throw CtlFailure(CtlExit.badArgs, "\(error)")
        }
        do {
            for try await lease in client.leaseKeepAlive(id: id) { try show(lease) }
        } catch let f as CtlFailure {
            await client.close()
            throw f
        } catch {
            await client.close()
            throw CtlFailure(CtlExit.badConnection, CtlRPC.message(error))
        }
        await client.close()
        if format == .simple { CtlIO.out("lease \(GoFormat.hex16(id)) expired or revoked.\n") }
    }
}
