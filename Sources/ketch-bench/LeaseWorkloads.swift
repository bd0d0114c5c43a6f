import EtcdProto
import Foundation
import GRPCCore
import Synchronization

/// Lease workloads: the churn of leases granted and revoked (kube-apiserver grants one per
/// event-TTL window and per `--lease-reuse-duration`), and the keep-alive stream that holds a
/// lease open (kube-apiserver's endpoint reconciler, every controller's leader-election client).
enum Leases {
    /// One operation = grant a lease (TTL `ttl` s) and revoke it.
    static func grantRevoke(ttl: Int64) -> @Sendable (Int) -> Operation {
        { _ in
            { stubs, _ in
                try await timed {
                    var g = Etcdserverpb_LeaseGrantRequest()
                    g.ttl = ttl
                    let lease = try await stubs.lease.leaseGrant(g)
                    guard lease.error.isEmpty else { throw BenchError("lease grant: \(lease.error)") }
                    var r = Etcdserverpb_LeaseRevokeRequest()
                    r.id = lease.id
                    _ = try await stubs.lease.leaseRevoke(r)
                }
            }
        }
    }

    /// `clients` keep-alive streams, each on its own connection with its own lease; one operation =
    /// one keep-alive request and its answer on the open stream.
    static func keepAlive(_ endpoint: Endpoint, clients: Int, total: Int, ttl: Int64 = 60) async throws -> Measurement {
        let counter = Counter(total: total)
        let errors = ErrorLog(limit: max(20, total / 20))
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<clients {
                group.addTask {
                    let collected = Locked<[Int64]>([])
                    let finished = Locked(false)
                    do {
                        try await withGRPCClient(transport: endpoint.transport()) { client in
                            let stubs = Stubs(client)
                            var g = Etcdserverpb_LeaseGrantRequest()
                            g.ttl = ttl
                            let id = try await stubs.lease.leaseGrant(g).id
                            let (answers, answered) = AsyncStream<Int64>.makeStream()
                            try await stubs.lease.leaseKeepAlive(
                                requestProducer: { writer in
                                    defer { answered.finish() }
                                    var mine: [Int64] = []
                                    defer { let all = mine; collected.withLock { $0 = all }; finished.withLock { $0 = true } }
                                    var it = answers.makeAsyncIterator()
                                    var request = Etcdserverpb_LeaseKeepAliveRequest()
                                    request.id = id
                                    while counter.next() != nil {
                                        let t0 = ContinuousClock.now
                                        try await writer.write(request)
                                        guard let ttlLeft = await it.next() else { break }
                                        guard ttlLeft > 0 else { throw BenchError("keep-alive: lease \(id) not found") }
                                        mine.append((ContinuousClock.now - t0).nanoseconds)
                                    }
                                },
                                onResponse: { response in
                                    defer { answered.finish() }
                                    for try await message in response.messages { answered.yield(message.ttl) }
                                })
                            var r = Etcdserverpb_LeaseRevokeRequest()
                            r.id = id
                            _ = try? await stubs.lease.leaseRevoke(r)
                        }
                    } catch {
                        // An error once this client's keep-alives are done is the stream's teardown
                        // (etcd may reset it), not a failed keep-alive.
                        if !finished.value { errors.record(error) }
                    }
                    return collected.value
                }
            }
            return try await group.reduce(into: [Int64]()) { $0 += $1 }
        }
        return Measurement(latenciesNs: latencies, elapsed: ContinuousClock.now - start,
                           errors: errors.count, firstError: errors.first)
    }
}
