import ArgumentParser
import EtcdAPI
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2

/// `ketch-bench`: a load client for any etcd v3 endpoint (Ketch or real etcd), in the spirit of
/// etcd's `tools/benchmark`, so both servers are measured by the same client.
@main
struct KetchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ketch-bench",
        abstract: "Load an etcd v3 endpoint and report throughput and latency.",
        subcommands: [PutBenchmark.self, RangeBenchmark.self]
    )
}

/// Options every workload shares.
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

    func host() throws -> (String, Int) {
        let parts = endpoint.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("--endpoint must be host:port") }
        return (String(parts[0]), port)
    }
}

/// Runs `total` calls of `body` over `clients` concurrent loops, each on its own connection.
///
/// Every connection is replaced after `rpcsPerConnection` calls, for both servers alike:
/// grpc-swift's client closes a connection that receives more than 200 RST_STREAM frames in
/// 10 s (a fixed DoS limit), and etcd's Go server ends every unary call with one.
func runLoad(
    _ options: LoadOptions, name: String,
    _ body: @escaping @Sendable (Etcdserverpb_KV.Client<HTTP2ClientTransport.Posix>, Int) async throws -> Void
) async throws {
    let (host, port) = try options.host()
    let perConnection = options.rpcsPerConnection
    let counter = Counter(total: options.total)
    let start = ContinuousClock.now
    let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
        for _ in 0..<options.clients {
            group.addTask {
                var mine: [Duration] = []
                var exhausted = false
                // Take a request before connecting, so no connection is opened for nothing.
                while !exhausted, let first = counter.next() {
                    let transport = try HTTP2ClientTransport.Posix(
                        target: .ipv4(address: host, port: port), transportSecurity: .plaintext)
                    mine += try await withGRPCClient(transport: transport) { client in
                        let kv = Etcdserverpb_KV.Client(wrapping: client)
                        var batch: [Duration] = []
                        var next: Int? = first
                        while let i = next {
                            let t0 = ContinuousClock.now
                            do {
                                try await body(kv, i)
                            } catch {
                                throw LoadError(request: i, completed: mine.count + batch.count, underlying: error)
                            }
                            batch.append(ContinuousClock.now - t0)
                            if batch.count == perConnection { break }
                            next = counter.next()
                            if next == nil { exhausted = true }
                        }
                        return batch
                    }
                }
                return mine
            }
        }
        return try await group.reduce(into: [Duration]()) { $0 += $1 }
    }
    let result = Summary(name: name, elapsed: ContinuousClock.now - start, latencies: latencies)
    print(result.line(options))
    if let path = options.json {
        try result.json(options).write(to: URL(fileURLWithPath: path))
    }
}

/// A request that failed, with how far its client had come.
struct LoadError: Error, CustomStringConvertible {
    var request: Int
    var completed: Int
    var underlying: any Error
    var description: String { "request \(request) failed after \(completed) completed by its client: \(underlying)" }
}

/// Hands out request numbers to the client loops.
final class Counter: Sendable {
    private let state: Mutex<Int>
    private let total: Int
    init(total: Int) {
        self.total = total
        state = Mutex(0)
    }
    func next() -> Int? {
        state.withLock { n in
            guard n < total else { return nil }
            defer { n += 1 }
            return n
        }
    }
}

import Synchronization

/// Throughput and latency percentiles of one run.
struct Summary {
    var name: String
    var elapsed: Duration
    var latencies: [Duration]

    var seconds: Double { Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18 }
    var opsPerSecond: Double { Double(latencies.count) / seconds }

    func percentile(_ p: Double) -> Double {
        let sorted = latencies.sorted()
        guard !sorted.isEmpty else { return 0 }
        let d = sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    func line(_ o: LoadOptions) -> String {
        String(format: "%@ clients=%d total=%d: %.0f ops/s, p50 %.2f ms, p99 %.2f ms",
               name, o.clients, latencies.count, opsPerSecond, percentile(0.5), percentile(0.99))
    }

    func json(_ o: LoadOptions) -> Data {
        let object: [String: Any] = [
            "workload": name, "clients": o.clients, "total": latencies.count,
            "ops_per_second": opsPerSecond, "p50_ms": percentile(0.5), "p99_ms": percentile(0.99),
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
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
        let value = Data(repeating: 0x78, count: valSize)
        let keySpace = keySpace
        try await runLoad(options, name: "put") { kv, i in
            var r = Etcdserverpb_PutRequest()
            r.key = Data("bench/\(i % keySpace)".utf8)
            r.value = value
            _ = try await kv.put(r)
        }
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
        let key = Data(key.utf8)
        let serializable = serializable
        try await runLoad(options, name: serializable ? "range-serializable" : "range") { kv, _ in
            var r = Etcdserverpb_RangeRequest()
            r.key = key
            r.serializable = serializable
            _ = try await kv.range(r)
        }
    }
}
