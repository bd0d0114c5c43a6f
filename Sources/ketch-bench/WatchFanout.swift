import EtcdProto
import Foundation
import GRPCCore
import Synchronization

/// Watch fan-out: `watchers` watch streams on one prefix (spread over connections of
/// `streamsPerConnection` streams each, as a watch cache or many informers would open them), one
/// writer putting `events` keys under the prefix one after another. Each put's value carries the
/// instant it was sent, so every delivery's latency is measured from the moment the writer sent
/// the put (it includes the write's commit) to the moment the watcher received the event.
///
/// Reports deliveries per second (all watchers together, from the first put to the last
/// delivery) and delivery latency percentiles; the writer's own put rate goes in `extra`.
enum WatchFanout {
    static let prefix = "watch/"

    static func run(_ endpoint: Endpoint, watchers: Int, events: Int, valueSize: Int = 256,
                    streamsPerConnection: Int = 125, timeout: Duration) async throws -> ServerResult {
        let base = ContinuousClock.now
        let store = DeliveryStore()
        let created = Locked(0)
        let errors = ErrorLog(limit: Int.max)
        let connections = (watchers + streamsPerConnection - 1) / streamsPerConnection

        enum Done: Sendable { case part, writer([Int64], Int64), timer }
        return try await withThrowingTaskGroup(of: Done.self) { group in
            for c in 0..<connections {
                let mine = min(streamsPerConnection, watchers - c * streamsPerConnection)
                group.addTask {
                    do {
                        try await withGRPCClient(transport: endpoint.transport()) { client in
                            let stubs = Stubs(client)
                            await withDiscardingTaskGroup { watchersGroup in
                                for _ in 0..<mine {
                                    watchersGroup.addTask {
                                        do {
                                            try await watcher(stubs, events: events, base: base, created: created, store: store)
                                        } catch {
                                            errors.record(error)
                                        }
                                    }
                                }
                            }
                        }
                    } catch {
                        errors.record(error)
                    }
                    return .part
                }
            }
            group.addTask {
                // The writer starts once every watch is confirmed.
                while created.value < watchers {
                    try await Task.sleep(for: .milliseconds(5))
                }
                // A new connection every 150 puts (grpc-swift's RST_STREAM limit; see runLoad).
                let pad = Data(repeating: 0x77, count: max(0, valueSize - 8))
                var putLatencies: [Int64] = []
                var firstSent: Int64 = -1
                var i = 0
                while i < events {
                    try await withGRPCClient(transport: endpoint.transport()) { client in
                        let stubs = Stubs(client)
                        try await stubs.warmUp()
                        for _ in 0..<150 where i < events {
                            var r = Etcdserverpb_PutRequest()
                            r.key = KV.key("\(prefix)k\(i % 100)")
                            let sent = (ContinuousClock.now - base).nanoseconds
                            if firstSent < 0 { firstSent = sent }
                            r.value = withUnsafeBytes(of: sent.littleEndian) { Data($0) } + pad
                            _ = try await stubs.kv.put(r)
                            putLatencies.append((ContinuousClock.now - base).nanoseconds - sent)
                            i += 1
                        }
                    }
                }
                return .writer(putLatencies, firstSent)
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return .timer
            }
            var outstanding = connections + 1
            var writer: (latencies: [Int64], firstSent: Int64) = ([], 0)
            var timedOut = false
            while outstanding > 0, let done = try await group.next() {
                switch done {
                case .part: outstanding -= 1
                case .writer(let l, let f): outstanding -= 1; writer = (l, f)
                case .timer: timedOut = true; outstanding = 0
                }
            }
            group.cancelAll()
            while (try? await group.next()) != nil {}

            let (latencies, last) = store.take()
            let expected = watchers * events
            let elapsedNs = max(1, last - writer.firstSent)
            var m = Measurement(latenciesNs: latencies, elapsed: .nanoseconds(elapsedNs))
            if latencies.count < expected {
                m.errors = expected - latencies.count
                m.firstError = "\(expected - latencies.count) of \(expected) events not delivered"
                    + (timedOut ? " within \(timeout)" : "") + (errors.first.map { "; \($0)" } ?? "")
            }
            let writerSeconds = Double(writer.latencies.reduce(0, +)) / 1e9
            return ServerResult(m, extra: [
                "watchers": Double(watchers), "events_written": Double(writer.latencies.count),
                "writer_puts_per_second": writerSeconds > 0 ? Double(writer.latencies.count) / writerSeconds : 0,
                "writer_put_p50_ms": Percentiles(writer.latencies).ms(0.5),
            ])
        }
    }

    /// One watch stream with one watcher on the prefix; returns after `events` events.
    static func watcher(_ stubs: Stubs, events: Int, base: ContinuousClock.Instant, created: Locked<Int>,
                        store: DeliveryStore) async throws {
        var create = Etcdserverpb_WatchCreateRequest()
        create.key = KV.key(prefix)
        create.rangeEnd = KV.prefixEnd(prefix)
        var request = Etcdserverpb_WatchRequest()
        request.requestUnion = .createRequest(create)
        let first = request
        let (done, finish) = AsyncStream<Void>.makeStream()
        try await stubs.watch.watch(
            requestProducer: { writer in
                try await writer.write(first)
                // Keep the request side open until the responses are done: etcd ends a watch
                // stream whose client has closed its side.
                for await _ in done {}
            },
            onResponse: { response in
                defer { finish.finish() }
                var latencies: [Int64] = []
                latencies.reserveCapacity(events)
                var last: Int64 = 0
                defer { store.add(latencies, last: last) }
                for try await message in response.messages {
                    if message.created { created.withLock { $0 += 1 } }
                    if message.canceled { throw BenchError("watch canceled: \(message.cancelReason)") }
                    guard !message.events.isEmpty else { continue }
                    let now = (ContinuousClock.now - base).nanoseconds
                    for event in message.events {
                        let sent = event.kv.value.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) }
                        latencies.append(now - sent)
                    }
                    last = now
                    if latencies.count >= events { return }
                }
            })
    }
}

/// Deliveries from every watcher, added as each one ends.
final class DeliveryStore: Sendable {
    private let state = Mutex<(latencies: [Int64], last: Int64)>(([], 0))
    func add(_ latencies: [Int64], last: Int64) {
        state.withLock { s in
            s.latencies += latencies
            s.last = max(s.last, last)
        }
    }
    func take() -> ([Int64], Int64) { state.withLock { ($0.latencies, $0.last) } }
}
