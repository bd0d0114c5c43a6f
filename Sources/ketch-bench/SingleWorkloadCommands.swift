import ArgumentParser
import Foundation

/// Options of the single-workload commands.
struct LoadOptions: ParsableArguments {
    @Option(help: "host:port of the etcd endpoint.")
    var endpoint = "127.0.0.1:2379"

    @Option(help: "Concurrent clients (each waits for its answer before sending again).")
    var clients = 1

    @Option(help: "Calls per connection before it is replaced (see runLoad).")
    var rpcsPerConnection = 150

    @Option(help: "Total requests.")
    var total = 10_000

    @Option(help: "Write a JSON result to this file.")
    var json: String?

    func run(_ name: String, _ op: @escaping @Sendable (Int) -> Operation) async throws {
        let m = try await runLoad(try Endpoint(endpoint), clients: clients, total: total,
                                  rpcsPerConnection: rpcsPerConnection, maxErrors: 0, makeOperation: op)
        if m.errors > 0 { throw BenchError("\(name): \(m.firstError ?? "error")") }
        let p = Percentiles(m.latenciesNs)
        print(String(format: "%@ clients=%d total=%d: %.0f ops/s, p50 %.2f ms, p99 %.2f ms",
                     name, clients, m.operations, m.opsPerSecond, p.ms(0.5), p.ms(0.99)))
        if let json {
            let object: [String: Any] = [
                "workload": name, "clients": clients, "total": m.operations,
                "ops_per_second": m.opsPerSecond, "p50_ms": p.ms(0.5), "p99_ms": p.ms(0.99),
            ]
            try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: URL(fileURLWithPath: json))
        }
    }
}

struct PutBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "put", abstract: "Sequential-key puts.")

    @OptionGroup var options: LoadOptions

    @Option(help: "Value size in bytes.")
    var valSize = 256

    @Option(help: "Distinct keys (puts cycle over them).")
    var keySpace = 100_000

    func run() async throws {
        try await options.run("put", KV.put(prefix: "bench/", valueSize: valSize, keySpace: keySpace))
    }
}

struct RangeBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "range", abstract: "Gets of one key.")

    @OptionGroup var options: LoadOptions

    @Flag(help: "Serializable reads (no linearizability barrier).")
    var serializable = false

    @Option(help: "Key to read.")
    var key = "bench/0"

    func run() async throws {
        try await options.run(serializable ? "range-serializable" : "range", KV.get(key: key, serializable: serializable))
    }
}
