import EtcdProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization

/// The transport every workload uses: plaintext HTTP/2 over TCP, as kube-apiserver talks to a local etcd.
typealias Transport = HTTP2ClientTransport.Posix

/// `host:port` of one server.
struct Endpoint: Sendable, CustomStringConvertible {
    var host: String
    var port: Int

    init(_ text: String) throws {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw BenchError("endpoint must be host:port, got \(text)") }
        host = String(parts[0])
        self.port = port
    }

    var description: String { "\(host):\(port)" }

    func transport() throws -> Transport {
        try Transport(target: .ipv4(address: host, port: port), transportSecurity: .plaintext)
    }
}

/// The generated service clients over one connection.
struct Stubs: Sendable {
    let kv: Etcdserverpb_KV.Client<Transport>
    let lease: Etcdserverpb_Lease.Client<Transport>
    let watch: Etcdserverpb_Watch.Client<Transport>

    init(_ client: GRPCClient<Transport>) {
        kv = .init(wrapping: client)
        lease = .init(wrapping: client)
        watch = .init(wrapping: client)
    }

    /// A cheap call that makes the client open its connection before anything is timed.
    func warmUp() async throws {
        var r = Etcdserverpb_RangeRequest()
        r.key = Data([0])
        r.serializable = true
        _ = try await kv.range(r)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Hands out operation numbers to the client loops.
final class Counter: Sendable {
    private let state = Mutex(0)
    let total: Int
    init(total: Int) { self.total = total }
    func next() -> Int? {
        state.withLock { n in
            guard n < total else { return nil }
            defer { n += 1 }
            return n
        }
    }
}

/// Measures `body`.
@inline(__always)
func timed(_ body: () async throws -> Void) async rethrows -> Duration {
    let t0 = ContinuousClock.now
    try await body()
    return ContinuousClock.now - t0
}

/// One operation of a workload: given the stubs of the current connection and the operation's
/// number, performs it and returns how long the timed part took. Built once per client loop, so
/// it may keep state of its own (the mod revisions it has seen, say).
typealias Operation = (Stubs, Int) async throws -> Duration

/// Runs `total` operations over `clients` concurrent loops, each on its own connection, each
/// waiting for its answer before sending again (closed loop), and returns what it measured.
///
/// A connection is replaced after `rpcsPerConnection` RPCs (counting `rpcsPerOperation` per
/// operation), for both servers alike: grpc-swift's client closes a connection that receives more
/// than 200 RST_STREAM frames in 10 s (a fixed DoS limit), and etcd's Go server ends every unary
/// call with one. Each new connection is opened by an untimed warm-up call, so latencies are
/// per-call cost on an open connection; the reconnects still count in the elapsed time.
///
/// An operation that throws counts as an error; its connection is replaced. The run stops early
/// when errors pass `maxErrors`.
func runLoad(
    _ endpoint: Endpoint, clients: Int, total: Int, rpcsPerOperation: Int = 1, rpcsPerConnection: Int = 150,
    maxErrors: Int? = nil,
    makeOperation: @escaping @Sendable (_ client: Int) -> Operation
) async throws -> Measurement {
    let counter = Counter(total: total)
    let errors = ErrorLog(limit: maxErrors ?? max(20, total / 20))
    let perConnection = max(1, rpcsPerConnection / max(1, rpcsPerOperation))
    let start = ContinuousClock.now
    let latencies = try await withThrowingTaskGroup(of: [Int64].self) { group in
        for c in 0..<clients {
            group.addTask {
                let operation = makeOperation(c)
                var mine: [Int64] = []
                mine.reserveCapacity(total / clients + 1)
                // Take an operation before connecting, so no connection is opened for nothing.
                while !errors.tooMany, var next = counter.next() {
                    do {
                        try await withGRPCClient(transport: endpoint.transport()) { client in
                            let stubs = Stubs(client)
                            try await stubs.warmUp()
                            var done = 0
                            while true {
                                do {
                                    mine.append(try await operation(stubs, next).nanoseconds)
                                } catch {
                                    errors.record(error)
                                    return  // replace the connection
                                }
                                done += 1
                                if done == perConnection || errors.tooMany { return }
                                guard let n = counter.next() else { return }
                                next = n
                            }
                        }
                    } catch {
                        errors.record(error)  // the connection itself failed
                    }
                }
                return mine
            }
        }
        return try await group.reduce(into: [Int64]()) { $0 += $1 }
    }
    return Measurement(latenciesNs: latencies, elapsed: ContinuousClock.now - start,
                       errors: errors.count, firstError: errors.first)
}

/// Counts errors and keeps the first.
final class ErrorLog: Sendable {
    private let state = Mutex<(count: Int, first: String?)>((0, nil))
    let limit: Int
    init(limit: Int) { self.limit = limit }
    func record(_ error: any Error) {
        state.withLock { s in
            s.count += 1
            if s.first == nil { s.first = "\(error)" }
        }
    }
    var count: Int { state.withLock { $0.count } }
    var first: String? { state.withLock { $0.first } }
    var tooMany: Bool { count > limit }
}

extension Duration {
    var nanoseconds: Int64 {
        let c = components
        return c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000
    }
    var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}

/// A value shared between tasks behind a lock.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout Value) throws -> R) rethrows -> R { try mutex.withLock { try body(&$0) } }
    var value: Value { mutex.withLock { $0 } }
}
