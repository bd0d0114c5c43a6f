import EtcdProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Synchronization

/// An etcd v3 client over gRPC (plaintext, TLS or mutual TLS), returning plain Swift values.
///
/// ```swift
/// let etcd = try await EtcdClient.connect(EtcdClientConfiguration(endpoints: ["http://127.0.0.1:2379"]))
/// defer { Task { await etcd.close() } }
/// try await etcd.put("a", "1")
/// let kv = try await etcd.get("a")
/// ```
///
/// The client owns its connections (a task runs them), so no closure scope has to stay open:
/// keep the client as long as needed and call ``close()`` at the end.
///
/// Endpoints are tried in order; the first that answers is used. When a call finds the endpoint
/// unavailable, the connection is dropped and the next call connects again (to the next endpoint
/// first); reads (range, status, member list, alarms) are retried once on the new connection,
/// writes are not (they may have been applied). With a username, the client authenticates on
/// connect and again when etcd reports the token invalid.
public final class EtcdClient: Sendable {
    public let configuration: EtcdClientConfiguration
    /// The parsed endpoints, in order.
    public let endpoints: [EtcdEndpoint]
    let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var connection: Connection?
        var connecting: Task<Connection, any Error>?
        /// Where the next connection attempt starts.
        var nextIndex = 0
        var closed = false
        var token: String?
    }

    /// One endpoint's gRPC client and the task that runs its connections.
    struct Connection: Sendable {
        let index: Int
        let endpoint: EtcdEndpoint
        let grpc: GRPCClient<HTTP2ClientTransport.Posix>
        let runner: Task<Void, Never>

        var kv: Etcdserverpb_KV.Client<HTTP2ClientTransport.Posix> { .init(wrapping: grpc) }
        var watch: Etcdserverpb_Watch.Client<HTTP2ClientTransport.Posix> { .init(wrapping: grpc) }
        var lease: Etcdserverpb_Lease.Client<HTTP2ClientTransport.Posix> { .init(wrapping: grpc) }
        var cluster: Etcdserverpb_Cluster.Client<HTTP2ClientTransport.Posix> { .init(wrapping: grpc) }
        var maintenance: Etcdserverpb_Maintenance.Client<HTTP2ClientTransport.Posix> { .init(wrapping: grpc) }
        var auth: Etcdserverpb_Auth.Client<HTTP2ClientTransport.Posix> { .init(wrapping: grpc) }

        func shutdown() {
            grpc.beginGracefulShutdown()
            runner.cancel()
        }
    }

    private init(configuration: EtcdClientConfiguration, endpoints: [EtcdEndpoint], logger: Logger) {
        self.configuration = configuration
        self.endpoints = endpoints
        self.logger = logger
    }

    /// Connects to the first endpoint that answers within the dial timeout (authenticating when a
    /// username is configured). Throws ``EtcdClientError/unavailable(endpoints:underlying:)`` when none does.
    public static func connect(_ configuration: EtcdClientConfiguration,
                               logger: Logger = Logger(label: "ketch.etcd-client")) async throws -> EtcdClient {
        let client = try EtcdClient(configuration: configuration, endpoints: configuration.parsedEndpoints(), logger: logger)
        _ = try await client.currentConnection()
        return client
    }

    /// Creates a client that connects on its first call (no endpoint is contacted yet).
    public static func lazy(_ configuration: EtcdClientConfiguration,
                            logger: Logger = Logger(label: "ketch.etcd-client")) throws -> EtcdClient {
        try EtcdClient(configuration: configuration, endpoints: configuration.parsedEndpoints(), logger: logger)
    }

    /// The endpoint in use, if connected.
    public var currentEndpoint: EtcdEndpoint? { state.withLock { $0.connection?.endpoint } }

    /// Closes the connections; calls in flight (and open watches) end with an error.
    public func close() async {
        let (connection, connecting) = state.withLock { s in
            s.closed = true
            defer { s.connection = nil; s.connecting = nil }
            return (s.connection, s.connecting)
        }
        connecting?.cancel()
        if let connection {
            connection.shutdown()
            await connection.runner.value
        }
    }

    // MARK: Connections

    /// The live connection, connecting (once, shared by concurrent callers) when there is none.
    func currentConnection() async throws -> Connection {
        enum Next { case ready(Connection), wait(Task<Connection, any Error>), closed }
        let next: Next = state.withLock { s in
            if s.closed { return .closed }
            if let c = s.connection { return .ready(c) }
            if let t = s.connecting { return .wait(t) }
            let start = s.nextIndex
            let task = Task { try await self.establish(startingAt: start) }
            s.connecting = task
            return .wait(task)
        }
        switch next {
        case .ready(let c): return c
        case .closed: throw EtcdClientError.closed
        case .wait(let task): return try await task.value
        }
    }

    /// Tries every endpoint once, starting at `start`; installs and returns the first that answers.
    private func establish(startingAt start: Int) async throws -> Connection {
        var failures: [String] = []
        for step in 0..<endpoints.count {
            let index = (start + step) % endpoints.count
            let endpoint = endpoints[index]
            do {
                let connection = try open(endpoint, index: index)
                do {
                    let token = try await probe(connection)
                    let installed = state.withLock { s -> Bool in
                        s.connecting = nil
                        guard !s.closed else { return false }
                        s.connection = connection
                        s.token = token
                        return true
                    }
                    guard installed else {
                        connection.shutdown()
                        throw EtcdClientError.closed
                    }
                    logger.debug("connected to etcd", metadata: ["endpoint": "\(endpoint)"])
                    return connection
                } catch {
                    connection.shutdown()
                    throw error
                }
            } catch let error as EtcdClientError where error.isUnavailable || error == .deadlineExceeded {
                failures.append("\(endpoint.original): \(Self.detail(error))")
                logger.debug("etcd endpoint did not answer", metadata: ["endpoint": "\(endpoint)", "error": "\(error)"])
            } catch {
                state.withLock { $0.connecting = nil }
                throw error
            }
        }
        state.withLock { s in
            s.connecting = nil
            s.nextIndex = (start + 1) % max(1, endpoints.count)
        }
        throw EtcdClientError.unavailable(endpoints: endpoints.map(\.original), underlying: failures.joined(separator: "; "))
    }

    private static func detail(_ error: EtcdClientError) -> String {
        if case .unavailable(_, let underlying) = error { return underlying }
        return error.description
    }

    /// A gRPC client for one endpoint, its connections running in a task the client owns.
    private func open(_ endpoint: EtcdEndpoint, index: Int) throws -> Connection {
        let target: any ResolvableTarget =
            endpoint.isIPv4 ? .ipv4(address: endpoint.host, port: endpoint.port)
            : endpoint.isIPv6 ? .ipv6(address: endpoint.host, port: endpoint.port)
            : .dns(host: endpoint.host, port: endpoint.port)
        var config = HTTP2ClientTransport.Posix.Config.defaults
        if let serverName = configuration.serverName { config.http2.authority = serverName }
        config.backoff.initial = .milliseconds(100)
        config.backoff.max = .seconds(2)
        let transport: HTTP2ClientTransport.Posix
        do {
            transport = try HTTP2ClientTransport.Posix(
                target: target, transportSecurity: try transportSecurity(for: endpoint), config: config)
        } catch {
            throw EtcdClientError.invalidConfiguration("endpoint \(endpoint.original): \(Self.text(of: error))")
        }
        let grpc = GRPCClient(transport: transport)
        let runner = Task {
            do { try await grpc.runConnections() } catch {}
        }
        return Connection(index: index, endpoint: endpoint, grpc: grpc, runner: runner)
    }

    private func transportSecurity(for endpoint: EtcdEndpoint) throws -> HTTP2ClientTransport.Posix.TransportSecurity {
        guard endpoint.tls else { return .plaintext }
        for file in [configuration.caFile, configuration.certFile, configuration.keyFile].compactMap({ $0 })
        where !FileManager.default.isReadableFile(atPath: file) {
            throw EtcdClientError.invalidConfiguration("cannot read \(file)")
        }
        let tls = HTTP2ClientTransport.Posix.TransportSecurity.TLS.defaults { tls in
            if let ca = configuration.caFile {
                tls.trustRoots = .certificates([.file(path: ca, format: .pem)])
            }
            if let cert = configuration.certFile, let key = configuration.keyFile {
                tls.certificateChain = [.file(path: cert, format: .pem)]
                tls.privateKey = .file(path: key, format: .pem)
            }
            if configuration.insecureSkipVerify {
                tls.serverCertificateVerification = .noVerification
            }
        }
        return .tls(tls)
    }

    /// Checks that the endpoint answers: authenticates when a username is set (returning the token),
    /// else asks for its status. Any answer from etcd, even an error, counts.
    private func probe(_ connection: Connection) async throws -> String? {
        var options = CallOptions.defaults
        options.timeout = configuration.dialTimeout
        options.waitForReady = false
        do {
            if configuration.username != nil {
                return try await authenticate(connection, options: options)
            }
            _ = try await connection.maintenance.status(Etcdserverpb_StatusRequest(), options: options)
            return nil
        } catch let error as RPCError where error.code != .unavailable && error.code != .deadlineExceeded
            && error.code != .cancelled
        {
            if configuration.username != nil { throw mapError(error) }
            return nil
        } catch {
            throw mapError(error)
        }
    }

    private func authenticate(_ connection: Connection, options: CallOptions) async throws -> String {
        var r = Etcdserverpb_AuthenticateRequest()
        r.name = configuration.username ?? ""
        r.password = configuration.password ?? ""
        return try await connection.auth.authenticate(r, options: options).token
    }

    /// Drops `connection` if it is still the current one, so the next call reconnects
    /// (starting with the next endpoint).
    private func invalidate(_ connection: Connection) {
        let dropped = state.withLock { s -> Bool in
            guard let c = s.connection, c.grpc === connection.grpc else { return false }
            s.connection = nil
            s.nextIndex = (connection.index + 1) % endpoints.count
            return true
        }
        if dropped { connection.shutdown() }
    }

    // MARK: Calls

    /// Metadata for a call: the auth token when there is one.
    func metadata() -> Metadata {
        var m = Metadata()
        if let token = state.withLock({ $0.token }) { m.addString(token, forKey: "token") }
        return m
    }

    /// Options for a unary call: the request timeout, the response size limit, no waiting for a
    /// connection that is down (so an unavailable endpoint is noticed at once).
    func callOptions(timeout: Duration? = nil) -> CallOptions {
        var options = CallOptions.defaults
        options.timeout = timeout ?? configuration.requestTimeout
        options.waitForReady = false
        options.maxResponseMessageBytes = configuration.maxResponseBytes
        return options
    }

    /// Runs one unary call with failover and re-authentication; errors become ``EtcdClientError``.
    func unary<R: Sendable>(
        idempotent: Bool,
        timeout: Duration? = nil,
        _ body: (Connection, Metadata, CallOptions) async throws -> R
    ) async throws -> R {
        var retriedUnavailable = false
        var reauthenticated = false
        while true {
            let connection = try await currentConnection()
            do {
                return try await body(connection, metadata(), callOptions(timeout: timeout))
            } catch let error as RPCError {
                if error.code == .unavailable {
                    invalidate(connection)
                    if idempotent && !retriedUnavailable {
                        retriedUnavailable = true
                        continue
                    }
                    throw EtcdClientError.unavailable(
                        endpoints: endpoints.map(\.original),
                        underlying: "\(connection.endpoint.original): \(Self.text(of: error))")
                }
                if error.message == "etcdserver: invalid auth token", configuration.username != nil, !reauthenticated {
                    reauthenticated = true
                    let token = try await authenticate(connection, options: callOptions(timeout: configuration.dialTimeout))
                    state.withLock { $0.token = token }
                    continue
                }
                throw mapError(error)
            }
        }
    }

    /// An error as ``EtcdClientError``, keeping etcd's message text.
    func mapError(_ error: any Error) -> any Error {
        switch error {
        case let e as EtcdClientError: return e
        case let e as RPCError:
            switch e.code {
            case .unavailable:
                return EtcdClientError.unavailable(endpoints: endpoints.map(\.original), underlying: Self.text(of: e))
            case .deadlineExceeded where !e.message.hasPrefix("etcdserver:"):
                return EtcdClientError.deadlineExceeded
            default:
                return EtcdClientError.server(code: e.code, message: e.message)
            }
        default: return error
        }
    }

    /// An error's text, with what caused it (gRPC wraps connection failures).
    static func text(of error: any Error) -> String {
        if let e = error as? RPCError {
            var result = e.message
            if let cause = e.cause { result += " (\(Self.text(of: cause)))" }
            return result
        }
        if let e = error as? RuntimeError {
            var result = e.message
            if let cause = e.cause { result += " (\(Self.text(of: cause)))" }
            return result
        }
        return String(describing: error)
    }
}
