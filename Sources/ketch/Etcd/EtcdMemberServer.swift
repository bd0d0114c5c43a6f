import Dispatch
import EtcdAPI
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging

/// Serves etcd's gRPC services on every client listener until SIGINT or SIGTERM.
struct EtcdMemberServer {
    let context: EtcdServerContext
    let listeners: [ListenURL]
    let logger: Logger

    /// gRPC accepts messages up to the request limit plus etcd's 512 KiB allowance for overhead,
    /// so requests between the two get etcd's "request is too large" rather than a transport error.
    private var maxMessageBytes: Int { context.maxRequestBytes + 512 * 1024 }

    func run() async throws {
        let services: [any RegistrableRPCService] = [
            KVService(context: context),
            MaintenanceService(context: context),
            ClusterService(context: context),
            WatchService(context: context),
            LeaseService(context: context),
        ]
        // The member revokes expired leases for as long as it serves.
        let store = context.store
        let leaseExpiry = Task { await store.runLeaseExpiry() }
        defer { leaseExpiry.cancel() }
        let servers = listeners.map { listener in
            let transport = HTTP2ServerTransport.Posix(
                address: listener.address,
                transportSecurity: .plaintext,
                config: .defaults { $0.rpc.maxRequestPayloadSize = maxMessageBytes })
            return (listener, transport, GRPCServer(transport: transport, services: services))
        }
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { signal in
            logger.info("received signal; shutting down", metadata: ["signal": "\(signal == SIGINT ? "interrupt" : "terminated")"])
            for (_, _, server) in servers { server.beginGracefulShutdown() }
        }
        defer { signals.cancel() }

        try await withThrowingDiscardingTaskGroup { group in
            for (listener, transport, server) in servers {
                group.addTask { try await server.serve() }
                group.addTask {
                    let address = try await transport.listeningAddress
                    logger.warning("serving client traffic insecurely; this is strongly discouraged!", metadata: [
                        "address": "\(address)", "url": "\(listener)",
                    ])
                }
            }
            group.addTask {
                for (_, transport, _) in servers { _ = try await transport.listeningAddress }
                logger.info("ready to serve client requests", metadata: ["member-id": "\(context.identity.memberIDHex)"])
            }
        }
    }
}

/// Runs a handler on the given signals instead of their default action.
/// (Dispatch sources are thread-safe; Dispatch just does not say so to Swift.)
final class SignalWatcher: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
