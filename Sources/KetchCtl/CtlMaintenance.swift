import EtcdClient
import EtcdProto
import Foundation
import GoText
import Synchronization

/// etcdctl's member add/remove/update/promote, endpoint hashkv, alarm list/disarm, defrag,
/// check perf and move-leader.
enum CtlMaintenance {
    /// The commands this file serves, by command path (e.g. "lease grant").
    static let commands: [String: CtlCommand.Handler] = [
        "member add": memberAdd, "member remove": memberRemove, "member update": memberUpdate, "member promote": memberPromote,
        "endpoint hashkv": hashKV, "alarm list": alarmList, "alarm disarm": alarmDisarm, "defrag": defrag,
        "check perf": checkPerf, "move-leader": moveLeader,
    ]

    // MARK: Members

    static func memberJSON(_ m: Etcdserverpb_Member) -> GoJSON {
        var o = GoJSONObject()
        o.omitEmpty("ID", uint: m.id)
        o.omitEmpty("name", string: m.name)
        o.omitEmpty("peerURLs", array: m.peerUrls.map { .string($0) })
        o.omitEmpty("clientURLs", array: m.clientUrls.map { .string($0) })
        o.omitEmpty("isLearner", bool: m.isLearner)
        return o.json
    }

    static func membersFields(_ members: [Etcdserverpb_Member]) -> String {
        members.map { m in
            "\"ID\" : \(m.id)\n\"Name\" : \(GoQuote.quote(m.name))\n"
                + m.peerUrls.map { "\"PeerURL\" : \(GoQuote.quote($0))\n" }.joined()
                + m.clientUrls.map { "\"ClientURL\" : \(GoQuote.quote($0))\n" }.joined()
                + "\"IsLearner\" : \(m.isLearner)\n\n"
        }.joined()
    }

    /// Prints a member change's response; `simple` is the simple printer's line.
    static func printMembers(_ format: CtlFormat, _ r: some CtlMembersResponse, member: Etcdserverpb_Member? = nil,
                             simple: String) throws {
        let members = (member.map { [("member", memberJSON($0))] } ?? []) + [("members", GoJSON.array(r.members.map(memberJSON)))]
        try format.print(simple: simple, json: CtlRPC.json(r.header, members),
                         fields: CtlRPC.fieldsHeader(r.header) + membersFields(r.members), protobuf: r)
    }

    /// etcd's `types.NewURLs` checks.
    static func validateURLs(_ list: [String]) throws {
        for text in list {
            guard let url = URLComponents(string: text), let scheme = url.scheme else {
                throw CtlFailure(CtlExit.error, "URL scheme must be http, https, unix, or unixs: \(text)")
            }
            guard ["http", "https", "unix", "unixs"].contains(scheme) else {
                throw CtlFailure(CtlExit.error, "URL scheme must be http, https, unix, or unixs: \(text)")
            }
            guard url.port != nil else {
                throw CtlFailure(CtlExit.error, "URL address does not have the form \"host:port\": \(text)")
            }
            if !url.path.isEmpty && url.path != "" {
                throw CtlFailure(CtlExit.error, "URL must not contain a path: \(text)")
            }
        }
    }

    static func memberID(_ text: String) throws -> UInt64 {
        do {
            return try GoStrconv.parseUint(text, base: 16)
        } catch let f as CtlFailure {
            throw CtlFailure(CtlExit.badArgs, "bad member ID arg (\(f.message)), expecting ID in Hex")
        }
    }

    /// The output format, then the member ID argument, in the order etcdctl checks them.
    private static func memberArgument(_ p: CtlParsedArguments, _ g: CtlGlobals) throws -> (CtlFormat, UInt64) {
        let format = try CtlFormat(g)
        guard p.positionals.count == 1 else { throw CtlFailure(CtlExit.badArgs, "member ID is not provided") }
        return (format, try memberID(p.positionals[0]))
    }

    /// `--peer-urls`, required and checked as etcd checks URLs.
    private static func peerURLs(_ p: CtlParsedArguments) throws -> [String] {
        let peerURLs = p.value("peer-urls") ?? ""
        if peerURLs.isEmpty { throw CtlFailure(CtlExit.badArgs, "member peer urls not provided") }
        let urls = peerURLs.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        try validateURLs(urls)
        return urls
    }

    static func memberAdd(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        guard p.positionals.count == 1 else { throw CtlFailure(CtlExit.badArgs, "member name not provided") }
        let name = p.positionals[0]
        var request = Etcdserverpb_MemberAddRequest()
        request.peerUrls = try peerURLs(p)
        request.isLearner = p.flag("learner")
        try await g.withClient { [request] client in
            let r = try await client.rpc(request)
            let learner = r.member.isLearner ? " as learner " : " "
            try printMembers(format, r, member: r.member,
                             simple: "Member \(CtlRPC.hexPadded(r.member.id)) added\(learner)to cluster \(CtlRPC.hexPadded(r.header.clusterID))\n")
            guard format == .simple else { return }
            var list = try await client.rpc(Etcdserverpb_MemberListRequest())
            var memberID = r.header.memberID
            var tries = 0
            while list.header.memberID != memberID, tries < 10 {
                tries += 1
                memberID = try await client.range(key: Array("_".utf8)).header.memberID
                list = try await client.rpc(Etcdserverpb_MemberListRequest())
            }
            var conf: [String] = []
            for m in list.members {
                for u in m.peerUrls { conf.append("\(m.id == r.member.id ? name : m.name)=\(u)") }
            }
            let peerURLs = request.peerUrls.joined(separator: ",")
            CtlIO.out("\nETCD_NAME=\(GoQuote.quote(name))\nETCD_INITIAL_CLUSTER=\(GoQuote.quote(conf.joined(separator: ",")))\n"
                      + "ETCD_INITIAL_ADVERTISE_PEER_URLS=\(GoQuote.quote(peerURLs))\nETCD_INITIAL_CLUSTER_STATE=\"existing\"\n")
        }
    }

    static func memberRemove(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let (format, id) = try memberArgument(p, g)
        let r = try await g.withClient { try await $0.rpc(Etcdserverpb_MemberRemoveRequest.with { $0.id = id }) }
        try printChange(format, r, id, "removed from")
    }

    static func memberUpdate(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let (format, id) = try memberArgument(p, g)
        let urls = try peerURLs(p)
        let r = try await g.withClient { try await $0.rpc(Etcdserverpb_MemberUpdateRequest.with { $0.id = id; $0.peerUrls = urls }) }
        try printChange(format, r, id, "updated in")
    }

    static func memberPromote(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let (format, id) = try memberArgument(p, g)
        let r = try await g.withClient { try await $0.rpc(Etcdserverpb_MemberPromoteRequest.with { $0.id = id }) }
        try printChange(format, r, id, "promoted in")
    }

    /// A member change's simple line: `Member <id> <change> cluster <cluster ID>`.
    private static func printChange(_ format: CtlFormat, _ r: some CtlMembersResponse, _ id: UInt64, _ change: String) throws {
        try printMembers(format, r, simple: "Member \(CtlRPC.hexPadded(id)) \(change) cluster \(CtlRPC.hexPadded(r.header.clusterID))\n")
    }

    // MARK: hashkv

    static func hashKV(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        let rev = try p.int64("rev")
        var list: [(String, Etcdserverpb_HashKVResponse)] = []
        var lastError: String?
        for ep in try await CtlRPC.endpoints(p, g) {
            var request = Etcdserverpb_HashKVRequest()
            request.revision = rev
            let req = request
            do {
                list.append((ep, try await CtlRPC.withEndpoint(g, ep) { try await $0.rpc(req) }))
            } catch {
                if case .server(let code, let message)? = error as? EtcdClientError {
                    CtlCommand.retryWarning(code: code, message: message, endpoints: [ep])
                }
                let message = CtlRPC.message(error)
                CtlIO.err("Failed to get the hash of endpoint \(ep) (\(message))\n")
                lastError = message
            }
        }
        try format.print(
            simple: list.map { "\($0.0), \($0.1.hash)\n" }.joined(),
            json: .array(list.map { ep, r in
                var o = GoJSONObject()
                o.add("header", CtlRPC.header(r.header))
                o.omitEmpty("hash", uint: UInt64(r.hash))
                o.omitEmpty("compact_revision", int: r.compactRevision)
                return .object([("Endpoint", .string(ep)), ("HashKV", o.json)])
            }),
            fields: list.map { ep, r in
                CtlRPC.fieldsHeader(r.header) + "\"Endpoint\" : \(GoQuote.quote(ep))\n\"Hash\" : \(r.hash)\n\n"
            }.joined(),
            table: GoTable.render(header: ["endpoint", "hash"], rows: list.map { [$0.0, String($0.1.hash)] }))
        if let lastError { throw CtlFailure(CtlExit.error, lastError) }
    }

    // MARK: alarms

    static func alarmName(_ a: Etcdserverpb_AlarmType) -> String {
        switch a {
        case .none: "NONE"
        case .nospace: "NOSPACE"
        case .corrupt: "CORRUPT"
        case .UNRECOGNIZED(let n): String(n)
        }
    }

    static func printAlarms(_ r: Etcdserverpb_AlarmResponse, _ format: CtlFormat) throws {
        var json = GoJSONObject()
        if r.hasHeader { json.add("header", CtlRPC.header(r.header)) }
        json.omitEmpty("alarms", array: r.alarms.map { a in
            var m = GoJSONObject()
            m.omitEmpty("memberID", uint: a.memberID)
            m.omitEmpty("alarm", int: Int64(a.alarm.rawValue))
            return m.json
        })
        try format.print(
            simple: r.alarms.map { "memberID:\($0.memberID) alarm:\(alarmName($0.alarm)) \n" }.joined(), json: json.json,
            fields: CtlRPC.fieldsHeader(r.header) + r.alarms.map {
                "\"MemberID\" : \($0.memberID)\n\"AlarmType\" : \(alarmName($0.alarm))\n\n"
            }.joined(),
            protobuf: r)
    }

    static func alarmList(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        if !p.positionals.isEmpty { throw CtlFailure(CtlExit.badArgs, "alarm list command accepts no arguments") }
        var request = Etcdserverpb_AlarmRequest()
        request.action = .get
        let req = request
        let r = try await g.withClient { try await $0.rpc(req) }
        try printAlarms(r, format)
    }

    static func alarmDisarm(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        if !p.positionals.isEmpty { throw CtlFailure(CtlExit.badArgs, "alarm disarm command accepts no arguments") }
        // clientv3's AlarmDisarm of the empty member: list the alarms, disarm each; the answer
        // gathers their alarms (without a header).
        let r = try await g.withClient { client in
            var get = Etcdserverpb_AlarmRequest()
            get.action = .get
            var all = Etcdserverpb_AlarmResponse()
            for a in try await client.rpc(get).alarms {
                var d = Etcdserverpb_AlarmRequest()
                d.action = .deactivate
                d.memberID = a.memberID
                d.alarm = a.alarm
                all.alarms += try await client.rpc(d).alarms
            }
            return all
        }
        try printAlarms(r, format)
    }

    // MARK: defrag

    static func defrag(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        if let dataDir = p.value("data-dir"), !dataDir.isEmpty {
            // etcdctl 3.5.1 defragments the data directory, then (its `return` is missing) goes on
            // to defragment the endpoints as well.
            CtlIO.err("Use `etcdutl defrag` instead. The --data-dir is going to be decomissioned in v3.6.\n\n")
            try CtlOfflineDefrag.run(dataDirectory: dataDir)
        }
        var failures = 0
        for ep in try await CtlRPC.endpoints(p, g) {
            do {
                _ = try await CtlRPC.withEndpoint(g, ep) { try await $0.rpc(Etcdserverpb_DefragmentRequest()) }
                CtlIO.out("Finished defragmenting etcd member[\(ep)]\n")
            } catch {
                if case .server(let code, let message)? = error as? EtcdClientError {
                    CtlCommand.retryWarning(code: code, message: message, endpoints: [ep])
                }
                CtlIO.err("Failed to defragment etcd member[\(ep)] (\(CtlRPC.message(error)))\n")
                failures += 1
            }
        }
        if failures != 0 { throw CtlFailure.silentExit(CtlExit.error) }
    }

    // MARK: move-leader

    static func moveLeader(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        guard p.positionals.count == 1 else { throw CtlFailure(CtlExit.badArgs, "move-leader command needs 1 argument") }
        let target: UInt64
        do {
            target = try GoStrconv.parseUint(p.positionals[0], base: 16)
        } catch let f as CtlFailure {
            throw CtlFailure(CtlExit.badArgs, f.message)
        }
        var leaderEndpoint: String?
        var leaderID: UInt64 = 0
        for ep in g.endpoints {
            let status: Etcdserverpb_StatusResponse
            do {
                status = try await CtlRPC.withEndpoint(g, ep) { try await $0.rpc(Etcdserverpb_StatusRequest()) }
            } catch {
                throw CtlCommand.failure(error, endpoints: [ep])
            }
            if status.header.memberID == status.leader {
                leaderEndpoint = ep
                leaderID = status.leader
                break
            }
        }
        guard let leaderEndpoint else {
            throw CtlFailure(CtlExit.badArgs, "no leader endpoint given at \(GoFormat.list(g.endpoints))")
        }
        var request = Etcdserverpb_MoveLeaderRequest()
        request.targetID = target
        let req = request
        do {
            _ = try await CtlRPC.withEndpoint(g, leaderEndpoint) { try await $0.rpc(req) }
        } catch {
            throw CtlCommand.failure(error, endpoints: [leaderEndpoint])
        }
        try CtlFormat(g).print(simple: "Leadership transferred from \(CtlRPC.idString(leaderID)) to \(CtlRPC.idString(target))\n")
    }

    // MARK: check perf

    struct PerfLoad {
        var limit: Int
        var clients: Int
        var duration: Int
    }

    static let perfLoads: [String: PerfLoad] = [
        "s": PerfLoad(limit: 150, clients: 50, duration: 60),
        "m": PerfLoad(limit: 1000, clients: 200, duration: 60),
        "l": PerfLoad(limit: 8000, clients: 500, duration: 60),
        "xl": PerfLoad(limit: 15000, clients: 1000, duration: 60),
    ]

    static let perfAliases = ["s": "s", "small": "s", "m": "m", "medium": "m", "l": "l", "large": "l", "xl": "xl", "xLarge": "xl"]

    /// The latencies and errors of the check's requests.
    final class PerfStats: Sendable {
        struct State {
            var latencies: [Double] = []
            var errors: [String: Int] = [:]
        }

        let state = Mutex(State())

        func record(_ seconds: Double, error: String?) {
            state.withLock { s in
                if let error { s.errors[error, default: 0] += 1 } else { s.latencies.append(seconds) }
            }
        }
    }

    static func checkPerf(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let loadName = p.value("load") ?? "s"
        guard let model = perfAliases[loadName], let cfg = perfLoads[model] else {
            throw CtlFailure(CtlExit.badFeature, "unknown load option \(loadName)")
        }
        let prefix = p.value("prefix") ?? "/etcdctl-check-perf/"
        let clients = try await loadClients(cfg.clients, prefix: prefix, g)
        defer { CtlRPC.closeLater(clients) }
        let first = clients[0]

        let stats = PerfStats()
        let value = [UInt8](repeating: 0, count: 1024)
        // Go's channel of requests read by every client: here one queue per client, fed in turn.
        let queues = clients.map { _ in AsyncStream<[UInt8]>.makeStream() }
        let start = ContinuousClock.now
        let duration = Duration.seconds(cfg.duration)
        let progress = Task {
            for i in 1...cfg.duration {
                try? await Task.sleep(for: .seconds(1))
                if Task.isCancelled { return }
                let width = 60 * i / cfg.duration
                CtlIO.out(String(format: "\r %d / %d B%@m ! %.2f%%", i, cfg.duration,
                                 String(repeating: "o", count: width), Double(i) * 100 / Double(cfg.duration)))
            }
        }
        await withTaskGroup(of: Void.self) { group in
            // The rate limiter: one request every 1/limit s for the duration.
            group.addTask {
                let interval = Duration.seconds(1) / cfg.limit
                var next = start
                var key = [UInt8](repeating: 0, count: 256)
                var sent = 0
                while true {
                    next += interval
                    if next - start > duration { break }
                    try? await Task.sleep(until: next, clock: .continuous)
                    putVarint(&key, Int64.random(in: 0..<Int64.max))
                    queues[sent % queues.count].continuation.yield(Array(prefix.utf8) + key)
                    sent += 1
                }
                for q in queues { q.continuation.finish() }
            }
            for (c, q) in zip(clients, queues) {
                group.addTask {
                    for await k in q.stream {
                        let t0 = ContinuousClock.now
                        do {
                            _ = try await c.put(key: k, value: value)
                            stats.record(seconds(ContinuousClock.now - t0), error: nil)
                        } catch {
                            stats.record(seconds(ContinuousClock.now - t0), error: CtlRPC.message(error))
                        }
                    }
                }
            }
        }
        let total = seconds(ContinuousClock.now - start)
        progress.cancel()
        CtlIO.out(String(format: "\r %d / %d B%@m ! 100.00%% %@\n", cfg.duration, cfg.duration,
                         String(repeating: "o", count: 60), GoFormat.duration(.seconds(cfg.duration))))

        try await cleanUpCheck(prefix: Array(prefix.utf8), first: first, p, g)

        let (latencies, errors) = stats.state.withLock { ($0.latencies, $0.errors) }
        let rps = Double(latencies.count) / total
        let slowest = latencies.max() ?? 0
        let mean = latencies.isEmpty ? 0 : latencies.reduce(0, +) / Double(latencies.count)
        let variance = latencies.isEmpty ? 0 : latencies.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(latencies.count)
        let stddev = variance.squareRoot()
        var ok = true
        var out = ""
        if !errors.isEmpty {
            out += "FAIL: too many errors\n"
            for (k, v) in errors { out += "FAIL: ERROR(\(k)) -> \(v)\n" }
            ok = false
        }
        if rps / Double(cfg.limit) <= 0.9 {
            out += "FAIL: Throughput too low: \(Int(rps) + 1) writes/s\n"
            ok = false
        } else {
            out += "PASS: Throughput is \(Int(rps) + 1) writes/s\n"
        }
        if slowest > 0.5 {
            out += String(format: "Slowest request took too long: %fs\n", slowest)
            ok = false
        } else {
            out += String(format: "PASS: Slowest request took %fs\n", slowest)
        }
        if stddev > 0.1 {
            out += String(format: "Stddev too high: %fs\n", stddev)
            ok = false
        } else {
            out += String(format: "PASS: Stddev is %fs\n", stddev)
        }
        out += ok ? "PASS\n" : "FAIL\n"
        CtlIO.out(out)
        if !ok { throw CtlFailure.silentExit(CtlExit.error) }
    }

    /// A check's clients (calls without deadlines, as the Go client's), once its prefix is found
    /// empty; closed again when it is not.
    static func loadClients(_ count: Int, prefix: String, _ g: CtlGlobals) async throws -> [EtcdClient] {
        let clients = try (0..<count).map { _ in try g.unlimitedClient() }
        let existing: EtcdRangeResult
        do {
            existing = try await clients[0].range(key: Array(prefix.utf8), end: EtcdKeys.prefixEnd(of: Array(prefix.utf8)), limit: 1)
        } catch {
            CtlRPC.closeLater(clients)
            throw CtlCommand.failure(error, endpoints: g.endpoints)
        }
        if !existing.kvs.isEmpty {
            CtlRPC.closeLater(clients)
            throw CtlFailure(CtlExit.invalidInput,
                             "prefix \(GoQuote.quote(prefix)) has keys. Delete with etcdctl del --prefix \(prefix) first")
        }
        return clients
    }

    static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) / 1e18
    }

    /// Go's `binary.PutVarint` (zig-zag, then base-128) into the start of `buf`.
    static func putVarint(_ buf: inout [UInt8], _ x: Int64) {
        var ux = UInt64(bitPattern: x) << 1
        if x < 0 { ux = ~ux }
        var i = 0
        while ux >= 0x80 {
            buf[i] = UInt8(truncatingIfNeeded: ux) | 0x80
            ux >>= 7
            i += 1
        }
        buf[i] = UInt8(ux)
    }
}

extension CtlMaintenance {
    /// What `check perf` and `check datascale` do when their load is over: delete the prefix,
    /// then, as asked, compact at the deletion's revision and defragment every endpoint.
    static func cleanUpCheck(prefix: [UInt8], first: EtcdClient, _ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let deleted: EtcdDeleteResult
        do {
            deleted = try await first.delete(key: prefix, end: EtcdKeys.prefixEnd(of: prefix))
        } catch {
            throw CtlCommand.failure(error, endpoints: g.endpoints)
        }
        if p.flag("auto-compact") {
            let rev = deleted.header.revision
            CtlIO.out("Compacting with revision \(rev)\n")
            do {
                try await first.compact(revision: rev, physical: true)
            } catch {
                throw CtlCommand.failure(error, endpoints: g.endpoints)
            }
            CtlIO.out("Compacted with revision \(rev)\n")
        }
        if p.flag("auto-defrag") {
            for ep in g.endpoints {
                CtlIO.out("Defragmenting \(GoQuote.quote(ep))\n")
                do {
                    _ = try await CtlRPC.withEndpoint(g, ep, timeout: .seconds(30)) { try await $0.rpc(Etcdserverpb_DefragmentRequest()) }
                } catch {
                    throw CtlCommand.failure(error, endpoints: [ep])
                }
                CtlIO.out("Defragmented \(GoQuote.quote(ep))\n")
            }
        }
    }
}
