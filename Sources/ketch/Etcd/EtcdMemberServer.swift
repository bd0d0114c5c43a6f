import EtcdV2
import Dispatch
import EtcdAPI
import EtcdServerConfig
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Synchronization

/// Serves etcd's gRPC services and HTTP endpoints on every client listener, and metrics and
/// health on every metrics listener, until SIGINT or SIGTERM.
struct EtcdMemberServer {
    let context: EtcdServerContext
    let listeners: [ListenURL]
    let metricsListeners: [ListenURL]
    let tls: ClientTLS
    /// The backend quota etcd reports in `etcd_server_quota_backend_bytes`.
    let quotaBackendBytes: Int64
    let logger: Logger
    /// `--enable-v2`: also serve the v2 HTTP API on the client listeners.
    var enableV2 = false

    /// gRPC accepts messages up to the request limit plus etcd's 512 KiB allowance for overhead,
    /// so requests between the two get etcd's "request is too large" rather than a transport error.
    private var maxMessageBytes: Int { context.maxRequestBytes + 512 * 1024 }

    func run() async throws {
        let services = Self.services(context: context)
        let metrics = EtcdMetrics(context: context, quotaBackendBytes: quotaBackendBytes)
        let store = context.store
        let alarms: @Sendable () -> [String] = { store.alarms().map(\.type.description) }

        // KETCH_GRPC_FAST_PATH=0 leaves every call to grpc-swift (for comparisons and diagnosis).
        let fastPath = ProcessInfo.processInfo.environment["KETCH_GRPC_FAST_PATH"] == "0"
            ? nil : UnaryFastPathRoutes(context: context, metrics: metrics, maxMessageBytes: maxMessageBytes)
        var clientHTTP = HTTPEndpoints(scope: .client, metrics: metrics, activeAlarms: alarms)
        if enableV2 { clientHTTP.v2 = V2KeysServer(context: context) }
        let servers = try listeners.map { listener in
            let factory = try EtcdListenerFactory(
                address: listener.socketAddress, tls: tls.settings(for: listener), peers: context.peers,
                http: clientHTTP)
            let transport = HTTP2ServerTransport.Custom(
                listenerFactory: factory,
                config: .defaults.with {
                    $0.rpc.maxRequestPayloadSize = maxMessageBytes
                    // etcd's --max-concurrent-streams default (math.MaxUint32). Left unset, NIOHTTP2
                    // enforces 100 streams per connection without advertising it and answers the
                    // 101st with GOAWAY PROTOCOL_ERROR, failing every RPC on that connection.
                    $0.http2.maxConcurrentStreams = Int(UInt32.max)
                    // grpc-go clients (etcdctl, kube-apiserver) send a BDP ping for every burst
                    // of DATA they receive. grpc-go servers forgive those whenever they write
                    // data; grpc-swift counts them against a 5-minute minimum interval and
                    // answered a large `snapshot save` with GOAWAY ENHANCE_YOUR_CALM ("the
                    // connection is draining"). Pings are therefore always welcome while a call
                    // is open; on an idle connection gRFC A8's two hours still applies.
                    $0.connection.keepalive.clientBehavior.minPingIntervalWithoutCalls = .zero
                    // Coalescing holds each response up to 100 µs (behind a timer) hoping to batch
                    // flushes; a member's clients mostly wait for one answer at a time.
                    $0.connection.flushCoalescing = nil
                    if let fastPath { $0.channelDebuggingCallbacks.onAcceptHTTP2Stream = fastPath.install(on:) }
                })
            let server = GRPCServer(
                transport: transport, services: services, interceptors: [GRPCMetricsInterceptor(metrics: metrics)])
            return (listener, transport, server)
        }
        var opened: [MetricsListener] = []
        for listener in metricsListeners {
            do {
                opened.append(try await MetricsListener(
                    address: listener.socketAddress, tls: tls.settings(for: listener),
                    endpoints: HTTPEndpoints(scope: .metrics, metrics: metrics, activeAlarms: alarms)))
            } catch {
                logger.critical("listener failed", metadata: ["url": "\(listener)", "error": "\(error)"])
                for server in opened { await server.close() }
                throw error
            }
            logger.info("serving metrics", metadata: ["address": "\(listener)"])
        }

        let metricsServers = opened

        // The member revokes expired leases for as long as it serves.
        let leaseExpiry = Task { await store.runLeaseExpiry() }
        defer { leaseExpiry.cancel() }
        // Graceful shutdown lets unary calls finish; streams (watches, keep-alives) would hold it
        // open until their clients leave, so after a short grace period serving is cancelled, as
        // etcd closes its streams when it stops.
        let serving = TaskHandle()
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { signal in
            logger.info("received signal; shutting down", metadata: ["signal": "\(signal == SIGINT ? "interrupt" : "terminated")"])
            for (_, _, server) in servers { server.beginGracefulShutdown() }
            Task { for server in metricsServers { await server.close() } }
            Task {
                try? await Task.sleep(for: Self.shutdownGrace)
                serving.cancel()
            }
        }
        defer { signals.cancel() }

        let task = Task { try await serve(servers: servers, metricsServers: metricsServers) }
        serving.set(task)
        do {
            try await task.value
        } catch is CancellationError {
            logger.info("closed open streams after the shutdown grace period")
        }
    }

    /// How long streams may run on after a shutdown signal.
    static let shutdownGrace: Duration = .seconds(1)

    private func serve(
        servers: [(ListenURL, HTTP2ServerTransport.Custom<EtcdListenerFactory>, GRPCServer<HTTP2ServerTransport.Custom<EtcdListenerFactory>>)],
        metricsServers: [MetricsListener]
    ) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for (listener, transport, server) in servers {
                group.addTask { try await server.serve() }
                group.addTask {
                    guard let address = await transport.listeningAddress else { return }
                    if listener.isTLS {
                        logger.info("serving client traffic securely", metadata: ["address": "\(address)", "url": "\(listener)"])
                    } else {
                        logger.warning("serving client traffic insecurely; this is strongly discouraged!", metadata: [
                            "address": "\(address)", "url": "\(listener)",
                        ])
                    }
                }
            }
            for server in metricsServers {
                group.addTask { await server.closed() }
            }
            group.addTask {
                for (_, transport, _) in servers { _ = await transport.listeningAddress }
                logger.info("ready to serve client requests", metadata: ["member-id": "\(context.identity.memberIDHex)"])
            }
        }
    }
}

extension HTTP2ServerTransport.Custom.Config {
    /// The defaults with `change` applied.
    fileprivate func with(_ change: (inout Self) -> Void) -> Self {
        var copy = self
        change(&copy)
        return copy
    }
}

/// A task that another task (a signal handler) may cancel once it exists.
final class TaskHandle: Sendable {
    private let task = Mutex<Task<Void, any Error>?>(nil)

    func set(_ new: Task<Void, any Error>) { task.withLock { $0 = new } }
    func cancel() { task.withLock { $0 }?.cancel() }
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
