import EtcdClient
import Foundation
import GoText

/// Prints responses in etcdctl 3.5's `simple`, `json`, `fields` and (where etcdctl has it) `table` formats.
struct CtlPrinter {
    enum Format: String { case simple, json, fields, table }

    var format: Format
    var hex: Bool
    var valueOnly = false

    init(writeOut: String, hex: Bool) throws {
        guard let f = Format(rawValue: writeOut) else {
            if writeOut == "protobuf" { throw CtlFailure(CtlExit.badFeature, "protobuf output is not supported by ketch ctl") }
            throw CtlFailure(CtlExit.badFeature, "unsupported output format")
        }
        format = f
        self.hex = hex
    }

    private func tableUnsupported() -> CtlFailure { CtlFailure(CtlExit.badFeature, "table not supported as output format") }

    // MARK: Pieces

    func kvLines(_ kv: EtcdKeyValue) -> String {
        var k = String(decoding: kv.key, as: UTF8.self)
        var v = String(decoding: kv.value, as: UTF8.self)
        if hex {
            k = GoFormat.hexEscaped(kv.key)
            v = GoFormat.hexEscaped(kv.value)
        }
        return (valueOnly ? "" : k + "\n") + v + "\n"
    }

    /// printKV writes raw bytes (Go prints the string's bytes, valid UTF-8 or not).
    func printKV(_ kv: EtcdKeyValue) {
        if hex {
            CtlIO.out(kvLines(kv))
            return
        }
        var bytes: [UInt8] = []
        if !valueOnly { bytes += kv.key + [0x0A] }
        bytes += kv.value + [0x0A]
        CtlIO.outBytes(bytes)
    }

    static func header(_ h: EtcdResponseHeader) -> GoJSON { .object(headerFields(h)) }

    /// The header's JSON fields (`omitempty`), also inlined where Go embeds the header.
    static func headerFields(_ h: EtcdResponseHeader) -> [(String, GoJSON)] {
        var o = GoJSONObject()
        o.omitEmpty("cluster_id", uint: h.clusterID)
        o.omitEmpty("member_id", uint: h.memberID)
        o.omitEmpty("revision", int: h.revision)
        o.omitEmpty("raft_term", uint: h.raftTerm)
        return o.fields
    }

    static func kv(_ kv: EtcdKeyValue) -> GoJSON {
        var o = GoJSONObject()
        o.omitEmpty("key", bytes: kv.key)
        o.omitEmpty("create_revision", int: kv.createRevision)
        o.omitEmpty("mod_revision", int: kv.modRevision)
        o.omitEmpty("version", int: kv.version)
        o.omitEmpty("value", bytes: kv.value)
        o.omitEmpty("lease", int: kv.lease)
        return o.json
    }

    static func fieldsHeader(_ h: EtcdResponseHeader) -> String {
        "\"ClusterID\" : \(h.clusterID)\n\"MemberID\" : \(h.memberID)\n\"Revision\" : \(h.revision)\n\"RaftTerm\" : \(h.raftTerm)\n"
    }

    func fieldsKV(_ prefix: String, _ kv: EtcdKeyValue) -> String {
        "\"\(prefix)Key\" : \(GoQuote.quote(kv.key))\n"
            + "\"\(prefix)CreateRevision\" : \(kv.createRevision)\n"
            + "\"\(prefix)ModRevision\" : \(kv.modRevision)\n"
            + "\"\(prefix)Version\" : \(kv.version)\n"
            + "\"\(prefix)Value\" : \(GoQuote.quote(kv.value))\n"
            + "\"\(prefix)Lease\" : \(kv.lease)\n"
    }

    // MARK: KV

    func get(_ r: EtcdRangeResult) throws {
        switch format {
        case .simple: r.kvs.forEach(printKV)
        case .json:
            var o = GoJSONObject()
            o.add("header", Self.header(r.header))
            o.omitEmpty("kvs", array: r.kvs.map(Self.kv))
            o.omitEmpty("more", bool: r.more)
            o.omitEmpty("count", int: r.count)
            CtlIO.out(o.json.text + "\n")
        case .fields:
            CtlIO.out(Self.fieldsHeader(r.header) + r.kvs.map { fieldsKV("", $0) }.joined()
                      + "\"More\" : \(r.more)\n\"Count\" : \(r.count)\n")
        case .table: throw tableUnsupported()
        }
    }

    func put(_ r: EtcdPutResult) throws {
        switch format {
        case .simple:
            CtlIO.out("OK\n")
            if let p = r.prevKV { printKV(p) }
        case .json:
            var o = GoJSONObject()
            o.add("header", Self.header(r.header))
            if let p = r.prevKV { o.add("prev_kv", Self.kv(p)) }
            CtlIO.out(o.json.text + "\n")
        case .fields:
            CtlIO.out(Self.fieldsHeader(r.header) + (r.prevKV.map { fieldsKV("Prev", $0) } ?? ""))
        case .table: throw tableUnsupported()
        }
    }

    func del(_ r: EtcdDeleteResult) throws {
        switch format {
        case .simple:
            CtlIO.out("\(r.deleted)\n")
            r.prevKVs.forEach(printKV)
        case .json:
            var o = GoJSONObject()
            o.add("header", Self.header(r.header))
            o.omitEmpty("deleted", int: r.deleted)
            o.omitEmpty("prev_kvs", array: r.prevKVs.map(Self.kv))
            CtlIO.out(o.json.text + "\n")
        case .fields:
            CtlIO.out(Self.fieldsHeader(r.header) + "\"Deleted\" : \(r.deleted)\n" + r.prevKVs.map { fieldsKV("Prev", $0) }.joined())
        case .table: throw tableUnsupported()
        }
    }

    // MARK: Watch

    func watch(_ b: EtcdWatchBatch) throws {
        switch format {
        case .simple:
            for e in b.events {
                CtlIO.out(e.type == .put ? "PUT\n" : "DELETE\n")
                if let p = e.prevKV { printKV(p) }
                printKV(e.kv)
            }
        case .json:
            let events: [GoJSON] = b.events.map { e in
                var o = GoJSONObject()
                if e.type == .delete { o.add("type", .int(1)) }
                o.add("kv", Self.kv(e.kv))
                if let p = e.prevKV { o.add("prev_kv", Self.kv(p)) }
                return o.json
            }
            let o = GoJSON.object([
                ("Header", Self.header(b.header)), ("Events", .array(events)),
                ("CompactRevision", .int(b.compactRevision)), ("Canceled", .bool(b.isCanceled)),
                ("Created", .bool(false)),
            ])
            CtlIO.out(o.text + "\n")
        case .fields:
            var text = Self.fieldsHeader(b.header)
            for e in b.events {
                text += "\"Type\" : \(e.type == .put ? "PUT" : "DELETE")\n"
                if let p = e.prevKV { text += fieldsKV("Prev", p) }
                text += fieldsKV("", e.kv)
            }
            CtlIO.out(text)
        case .table: throw tableUnsupported()
        }
    }

    // MARK: Cluster

    func memberList(_ r: EtcdMemberList) throws {
        let rows = r.members.map { m in
            [GoFormat.hex(m.id), m.name.isEmpty ? "unstarted" : "started", m.name, m.peerURLs.joined(separator: ","),
             m.clientURLs.joined(separator: ","), String(m.isLearner)]
        }
        switch format {
        case .simple:
            CtlIO.out(rows.map { $0.joined(separator: ", ") + "\n" }.joined())
        case .json:
            var header = GoJSONObject()
            if hex {
                header.add("cluster_id", .string(GoFormat.hex(r.header.clusterID)))
                header.add("member_id", .string(GoFormat.hex(r.header.memberID)))
                header.omitEmpty("revision", int: r.header.revision)
                header.omitEmpty("raft_term", uint: r.header.raftTerm)
            } else {
                header.fields = Self.headerFields(r.header)
            }
            let members: [GoJSON] = r.members.map { m in
                var o = GoJSONObject()
                if hex { o.add("ID", .string(GoFormat.hex(m.id))) } else { o.omitEmpty("ID", uint: m.id) }
                o.omitEmpty("name", string: m.name)
                o.omitEmpty("peerURLs", array: m.peerURLs.map { .string($0) })
                o.omitEmpty(hex ? "clientURLS" : "clientURLs", array: m.clientURLs.map { .string($0) })
                o.omitEmpty("isLearner", bool: m.isLearner)
                return o.json
            }
            CtlIO.out(GoJSON.object([("header", header.json), ("members", .array(members))]).text + "\n")
        case .fields:
            var text = Self.fieldsHeader(r.header)
            for m in r.members {
                text += "\"ID\" : \(m.id)\n\"Name\" : \(GoQuote.quote(m.name))\n"
                text += m.peerURLs.map { "\"PeerURL\" : \(GoQuote.quote($0))\n" }.joined()
                text += m.clientURLs.map { "\"ClientURL\" : \(GoQuote.quote($0))\n" }.joined()
                text += "\"IsLearner\" : \(m.isLearner)\n\n"
            }
            CtlIO.out(text)
        case .table:
            CtlIO.out(GoTable.render(header: ["ID", "Status", "Name", "Peer Addrs", "Client Addrs", "Is Learner"], rows: rows))
        }
    }

    struct Health {
        var endpoint: String
        var health: Bool
        var took: String
        var error: String
    }

    func endpointHealth(_ list: [Health]) {
        switch format {
        case .simple:
            // etcdctl 3.5 prints healthy endpoints on stdout, unhealthy ones on stderr.
            for h in list {
                if h.error.isEmpty {
                    CtlIO.out("\(h.endpoint) is healthy: successfully committed proposal: took = \(h.took)\n")
                } else {
                    CtlIO.err("\(h.endpoint) is unhealthy: failed to commit proposal: \(h.error)\n")
                }
            }
        case .json:
            let items: [GoJSON] = list.map { h in
                var o = GoJSONObject()
                o.add("endpoint", .string(h.endpoint))
                o.add("health", .bool(h.health))
                o.add("took", .string(h.took))
                o.omitEmpty("error", string: h.error)
                return o.json
            }
            CtlIO.out(GoJSON.array(items).text + "\n")
        case .fields:
            CtlIO.out(list.map { h in
                "\"Endpoint\" : \(GoQuote.quote(h.endpoint))\n\"Health\" : \(h.health)\n\"Took\" : \(h.took)\n\"Error\" : \(h.error)\n\n"
            }.joined())
        case .table:
            CtlIO.out(GoTable.render(header: ["endpoint", "health", "took", "error"],
                                     rows: list.map { [$0.endpoint, String($0.health), $0.took, $0.error] }))
        }
    }

    func endpointStatus(_ list: [(String, EtcdStatus)]) {
        let rows = list.map { (ep, s) in
            [ep, GoFormat.hex(s.header.memberID), s.version, GoFormat.humanBytes(UInt64(max(0, s.dbSize))),
             String(s.leader == s.header.memberID), String(s.isLearner), String(s.raftTerm), String(s.raftIndex),
             String(s.raftAppliedIndex), s.errors.joined(separator: ", ")]
        }
        switch format {
        case .simple:
            CtlIO.out(rows.map { $0.joined(separator: ", ") + "\n" }.joined())
        case .json:
            let items: [GoJSON] = list.map { (ep, s) in
                var o = GoJSONObject()
                o.add("header", Self.header(s.header))
                o.omitEmpty("version", string: s.version)
                o.omitEmpty("dbSize", int: s.dbSize)
                o.omitEmpty("leader", uint: s.leader)
                o.omitEmpty("raftIndex", uint: s.raftIndex)
                o.omitEmpty("raftTerm", uint: s.raftTerm)
                o.omitEmpty("raftAppliedIndex", uint: s.raftAppliedIndex)
                o.omitEmpty("errors", array: s.errors.map { .string($0) })
                o.omitEmpty("dbSizeInUse", int: s.dbSizeInUse)
                o.omitEmpty("isLearner", bool: s.isLearner)
                return .object([("Endpoint", .string(ep)), ("Status", o.json)])
            }
            CtlIO.out(GoJSON.array(items).text + "\n")
        case .fields:
            CtlIO.out(list.map { (ep, s) in
                Self.fieldsHeader(s.header) + "\"Version\" : \(GoQuote.quote(s.version))\n\"DBSize\" : \(s.dbSize)\n"
                    + "\"Leader\" : \(s.leader)\n\"IsLearner\" : \(s.isLearner)\n\"RaftIndex\" : \(s.raftIndex)\n"
                    + "\"RaftTerm\" : \(s.raftTerm)\n\"RaftAppliedIndex\" : \(s.raftAppliedIndex)\n"
                    + "\"Errors\" : \(GoFormat.list(s.errors))\n\"Endpoint\" : \(GoQuote.quote(ep))\n\n"
            }.joined())
        case .table:
            CtlIO.out(GoTable.render(
                header: ["endpoint", "ID", "version", "db size", "is leader", "is learner", "raft term", "raft index",
                         "raft applied index", "errors"], rows: rows))
        }
    }
}
