import EtcdClient
import Foundation

/// `endpoint health`, `endpoint status`, `member list`.
enum CtlCluster {
    /// What `version` prints: the etcdctl release whose behaviour `ketch ctl` follows.
    static let etcdctlVersion = "3.5.1"
    static let apiVersion = "3.5"

    /// Each endpoint on its own: a range of key `health` (permission denied counts as healthy),
    /// then no active alarm.
    static func endpointHealth(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let printer = try CtlPrinter(writeOut: CtlRPC.printerFormat(g), hex: g.hex)
        let endpoints = try await CtlRPC.endpoints(p, g)
        let results = await withTaskGroup(of: (Int, CtlPrinter.Health).self) { group in
            for (i, ep) in endpoints.enumerated() {
                group.addTask { (i, await health(of: ep, g)) }
            }
            var all: [(Int, CtlPrinter.Health)] = []
            for await r in group { all.append(r) }
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
        try CtlRPC.unsupportedProtobuf(g)
        printer.endpointHealth(results)
        if results.contains(where: { !$0.error.isEmpty }) {
            throw CtlFailure(CtlExit.error, "unhealthy cluster")
        }
    }

    private static func health(of endpoint: String, _ g: CtlGlobals) async -> CtlPrinter.Health {
        var h = CtlPrinter.Health(endpoint: endpoint, health: false, took: "", error: "")
        let client: EtcdClient
        do {
            client = try EtcdClient.lazy(g.clientConfiguration(endpoints: [endpoint]))
        } catch {
            h.error = "\(error)"
            return h
        }
        let start = ContinuousClock.now
        do {
            _ = try await client.range(key: Array("health".utf8))
            h.health = true
        } catch let e as EtcdClientError where e.isPermissionDenied {
            h.health = true
        } catch {
            h.error = CtlRPC.message(error)
        }
        h.took = GoFormat.duration(ContinuousClock.now - start)
        if h.health {
            do {
                let alarms = try await client.alarmList()
                if !alarms.isEmpty {
                    h.health = false
                    h.error = "Active Alarm(s): " + alarms.map { a in
                        switch a.alarm {
                        case .noSpace: "NOSPACE "
                        case .corrupt: "CORRUPT "
                        default: "UNKNOWN "
                        }
                    }.joined()
                }
            } catch {
                h.health = false
                h.error = "Unable to fetch the alarm list"
            }
        }
        await client.close()
        return h
    }

    static func endpointStatus(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let printer = try CtlPrinter(writeOut: CtlRPC.printerFormat(g), hex: g.hex)
        var list: [(String, EtcdStatus)] = []
        var failed = false
        for ep in try await CtlRPC.endpoints(p, g) {
            do {
                let client = try EtcdClient.lazy(g.clientConfiguration(endpoints: [ep]))
                defer { Task { await client.close() } }
                list.append((ep, try await client.status()))
            } catch {
                failed = true
                CtlIO.err("Failed to get the status of endpoint \(ep) (\(CtlRPC.message(error)))\n")
            }
        }
        try CtlRPC.unsupportedProtobuf(g)
        printer.endpointStatus(list)
        if failed { throw CtlFailure.silentExit(CtlExit.error) }
    }

    static func memberList(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let printer = try CtlPrinter(writeOut: CtlRPC.printerFormat(g), hex: g.hex)
        let list = try await g.withClient { try await $0.memberList() }
        try CtlRPC.printResult(list, printer, g)
    }
}
