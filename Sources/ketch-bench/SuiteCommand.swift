import ArgumentParser
import Foundation

/// One workload of the suite: how to run it against one server.
struct Workload: Sendable {
    var id: String
    var title: String
    var unit: String
    var clients: Int
    var run: @Sendable (Endpoint) async throws -> ServerResult
}

/// Sizes for `--quick` (finishes in well under a minute with both servers) and the full run.
struct Scale {
    var quick: Bool
    func n(_ full: Int, _ quick: Int) -> Int { self.quick ? quick : full }
}

/// `ketch-bench suite`: every workload against every server, one server after the other for
/// each workload, so both see the same history and the same machine load at about the same time.
struct SuiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suite", abstract: "Run the side-by-side workloads against each server.")

    @Option(name: .customLong("server"), help: "NAME=host:port; repeat (the first is the baseline).")
    var servers: [String] = []

    @Flag(help: "Fewer operations per workload.")
    var quick = false

    @Option(help: "Only the workloads with these ids (comma-separated).")
    var only: String?

    @Option(help: "Watchers in the fan-out workload.")
    var watchers = 1000

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    func run() async throws {
        let named = try servers.map { spec -> (String, Endpoint) in
            guard let eq = spec.firstIndex(of: "=") else { throw ValidationError("--server NAME=host:port") }
            return (String(spec[..<eq]), try Endpoint(String(spec[spec.index(after: eq)...])))
        }
        guard !named.isEmpty else { throw ValidationError("give at least one --server") }
        let selected = only.map { Set($0.split(separator: ",").map(String.init)) }
        var results: [WorkloadResult] = []
        for w in Self.plan(Scale(quick: quick), watchers: watchers) where selected.map({ $0.contains(w.id) || w.id.hasPrefix("setup") }) ?? true {
            var row = WorkloadResult(id: w.id, title: w.title, unit: w.unit, clients: w.clients, results: [:])
            for (name, endpoint) in named {
                let r: ServerResult
                do {
                    r = try await w.run(endpoint)
                } catch {
                    r = ServerResult(Measurement(latenciesNs: [], elapsed: .zero, errors: 1, firstError: "\(error)"))
                }
                row.results[name] = r
                let err = r.errors > 0 ? "  errors=\(r.errors) (\(r.firstError ?? ""))" : ""
                let line = "  " + Report.pad(w.title, 40) + " " + Report.pad(name, 6)
                    + Report.pad(Report.number(r.opsPerSecond), 10, right: true) + " \(w.unit)/s"
                    + "  p50 " + Report.pad(Report.ms(r.p50Ms), 8, right: true)
                    + "  p99 " + Report.pad(Report.ms(r.p99Ms), 8, right: true) + " ms" + err
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            if !w.id.hasPrefix("setup") { results.append(row) }
        }
        let suite = SuiteResult(servers: named.map(\.0), scale: quick ? "quick" : "full", workloads: results)
        if let json {
            try jsonEncoder().encode(suite).write(to: URL(fileURLWithPath: json))
        } else {
            print(Report.table(suite: suite, extras: nil))
        }
    }

    static func plan(_ s: Scale, watchers: Int) -> [Workload] {
        func load(_ id: String, _ title: String, unit: String = "op", clients: Int, total: Int, rpcs: Int = 1,
                  _ op: @escaping @Sendable (Int) -> Operation) -> Workload {
            Workload(id: id, title: title, unit: unit, clients: clients) { endpoint in
                ServerResult(try await runLoad(endpoint, clients: clients, total: total, rpcsPerOperation: rpcs, makeOperation: op))
            }
        }
        let listKeys = 10_000
        return [
            load("put-1", "put 256 B, 1 client", clients: 1, total: s.n(4000, 400),
                 KV.put(prefix: "bench/put/", valueSize: 256, keySpace: 10_000)),
            load("put-16", "put 256 B, 16 clients", clients: 16, total: s.n(16_000, 1600),
                 KV.put(prefix: "bench/put/", valueSize: 256, keySpace: 10_000)),
            load("put-64", "put 256 B, 64 clients", clients: 64, total: s.n(24_000, 2500),
                 KV.put(prefix: "bench/put/", valueSize: 256, keySpace: 10_000)),
            load("get-ser-1", "range 1 key, serializable, 1 client", clients: 1, total: s.n(5000, 500),
                 KV.get(key: "bench/put/0", serializable: true)),
            load("get-lin-1", "range 1 key, linearizable, 1 client", clients: 1, total: s.n(5000, 500),
                 KV.get(key: "bench/put/0", serializable: false)),
            load("get-ser-16", "range 1 key, serializable, 16 clients", clients: 16, total: s.n(20_000, 2000),
                 KV.get(key: "bench/put/0", serializable: true)),
            load("get-lin-16", "range 1 key, linearizable, 16 clients", clients: 16, total: s.n(20_000, 2000),
                 KV.get(key: "bench/put/0", serializable: false)),
            load("setup-list", "(load 10,000 keys for lists)", unit: "txn", clients: 4, total: listKeys / 100,
                 KV.bulkLoad(prefix: "list/", count: listKeys, valueSize: 256, batch: 100)),
            load("list-ser", "list 10k keys (500/page), serializable", unit: "list", clients: 1, total: s.n(30, 4), rpcs: 20,
                 KV.list(prefix: "list/", limit: 500, expect: listKeys, serializable: true)),
            load("list-lin", "list 10k keys (500/page), linearizable", unit: "list", clients: 1, total: s.n(30, 4), rpcs: 20,
                 KV.list(prefix: "list/", limit: 500, expect: listKeys, serializable: false)),
            load("txn-create", "txn create-if-absent, 16 clients", clients: 16, total: s.n(10_000, 1000),
                 KV.txnCreate(prefix: "bench/obj/", valueSize: 256)),
            load("txn-update", "txn update-if-mod-rev, 16 clients", clients: 16, total: s.n(10_000, 1000),
                 KV.txnUpdate(prefix: "bench/upd/", valueSize: 256, keysPerClient: 8)),
            load("lease-churn", "lease grant+revoke, 16 clients", clients: 16, total: s.n(4000, 400), rpcs: 2,
                 Leases.grantRevoke(ttl: 60)),
            Workload(id: "lease-keepalive", title: "lease keep-alive, 16 streams", unit: "op", clients: 16) { endpoint in
                ServerResult(try await Leases.keepAlive(endpoint, clients: 16, total: s.n(20_000, 2000)))
            },
            Workload(id: "watch-fanout", title: "watch fan-out, \(watchers) watchers", unit: "event", clients: watchers) { endpoint in
                try await WatchFanout.run(endpoint, watchers: watchers, events: s.n(300, 20), timeout: .seconds(s.n(120, 30)))
            },
        ]
    }
}

/// `ketch-bench load`: writes many keys fast (transactions of `batch` puts), to measure memory
/// and disk use at size. Prints the time it took as JSON.
struct BulkLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "Write N keys of a given size.")

    @Option(help: "host:port") var endpoint = "127.0.0.1:2379"
    @Option(help: "Keys to write.") var keys = 100_000
    @Option(help: "Value size in bytes.") var valueSize = 1024
    @Option(help: "Puts per transaction (etcd allows 128).") var batch = 100
    @Option(help: "Concurrent clients.") var clients = 4
    @Option(help: "Key prefix.") var prefix = "load/"

    func run() async throws {
        let m = try await runLoad(try Endpoint(endpoint), clients: clients, total: (keys + batch - 1) / batch,
                                  maxErrors: 0,
                                  makeOperation: KV.bulkLoad(prefix: prefix, count: keys, valueSize: valueSize, batch: batch))
        if m.errors > 0 { throw BenchError("load failed: \(m.firstError ?? "?")") }
        let out: [String: Double] = ["keys": Double(keys), "seconds": m.elapsed.seconds,
                                     "keys_per_second": Double(keys) / m.elapsed.seconds]
        print(String(decoding: try jsonEncoder().encode(out), as: UTF8.self))
    }
}
