import AsyncHTTPClient
import Foundation
import KubeCore
import Logging
import Synchronization
import NIOCore
import NIOHTTP1

/// ``KubeAPI`` over HTTPS to a kube-apiserver, as client-go's REST client: one shared
/// connection pool (HTTP/1.1 keep-alive), JSON bodies, the kubeconfig's CA and client
/// certificate or bearer token, and failures decoded from the server's `Status`.
public final class HTTPKubeAPI: KubeAPI {
    private let client: HTTPClient
    /// `scheme://host:port` plus any path prefix of the server URL, without a trailing slash.
    private let base: String
    private let watchClient: HTTPClient
    private let shutDown = Mutex(false)
    private let headers: HTTPHeaders
    private let requestTimeout: TimeAmount
    private let logger: Logger

    /// A client of the server `config` names.
    /// - Parameters:
    ///   - userAgent: e.g. `kube-controller-manager/v1.33.0 (linux/amd64) ketch`.
    ///   - maxConnectionsPerHost: the pool's size; watches each hold one connection while open.
    ///   - requestTimeout: the limit of one non-watch request, response body included.
    /// - Throws: ``KubeConfigError`` when the kubeconfig's certificates do not parse.
    public init(config: KubeConfig, userAgent: String, maxConnectionsPerHost: Int = 32,
                requestTimeout: Duration = .seconds(60), logger: Logger = Logger(label: "kube-client")) throws {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: try config.tlsConfiguration(),
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10)),
            connectionPool: .init(idleTimeout: .seconds(90), concurrentHTTP1ConnectionsPerHostSoftLimit: maxConnectionsPerHost))
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        // Over HTTP/1.1 every open watch holds a connection for minutes; a pool of their own
        // keeps them from starving ordinary requests (HTTP/2 would multiplex them instead).
        configuration.connectionPool = .init(idleTimeout: .seconds(90), concurrentHTTP1ConnectionsPerHostSoftLimit: 1024)
        watchClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var text = config.server.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        base = text
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: userAgent)
        if let token = config.bearerToken { headers.add(name: "Authorization", value: "Bearer \(token)") }
        self.headers = headers
        let (seconds, attoseconds) = requestTimeout.components
        self.requestTimeout = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        self.logger = logger
    }

    deinit {
        // A client dropped without `shutdown()` (a replaced token's client, a task cancelled
        // mid-way) closes its connections on its own; AsyncHTTPClient traps otherwise.
        for client in [client, watchClient] where !shutDown.withLock({ $0 }) {
            client.shutdown { _ in _ = client }
        }
    }

    /// Closes every connection; requests after this fail.
    public func shutdown() async throws {
        guard !shutDown.withLock({ done in defer { done = true }; return done }) else { return }
        try await client.shutdown()
        try await watchClient.shutdown()
    }

    // MARK: KubeAPI

    public func get(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue {
        try await send(.GET, KubePath.object(type, namespace: namespace, name: name))
    }

    public func list(_ type: ResourceType, namespace: String?, options: KubeListOptions) async throws -> KubeList {
        let json = try await send(.GET, KubePath.collection(type, namespace: namespace) + KubePath.query(options.queryItems))
        return KubeResponse.list(json, type: type)
    }

    public func create(_ type: ResourceType, namespace: String?, _ object: JSONValue) async throws -> JSONValue {
        try await send(.POST, KubePath.collection(type, namespace: namespace ?? Self.namespace(of: object)), body: object)
    }

    public func update(_ type: ResourceType, namespace: String?, _ object: JSONValue, subresource: String?) async throws -> JSONValue {
        let name = object["metadata"]?["name"]?.string ?? ""
        return try await send(.PUT, KubePath.object(type, namespace: namespace ?? Self.namespace(of: object), name: name,
                                                    subresource: subresource), body: object)
    }

    public func patch(_ type: ResourceType, namespace: String?, name: String, _ patch: JSONValue,
                      kind: KubePatchKind, subresource: String?) async throws -> JSONValue {
        try await send(.PATCH, KubePath.object(type, namespace: namespace, name: name, subresource: subresource),
                       body: patch, contentType: kind.rawValue)
    }

    @discardableResult
    public func delete(_ type: ResourceType, namespace: String?, name: String, options: KubeDeleteOptions) async throws -> JSONValue {
        try await send(.DELETE, KubePath.object(type, namespace: namespace, name: name), body: options.json)
    }

    @discardableResult
    public func createSubresource(_ type: ResourceType, namespace: String?, name: String, subresource: String,
                                  _ body: JSONValue) async throws -> JSONValue {
        try await send(.POST, KubePath.object(type, namespace: namespace, name: name, subresource: subresource), body: body)
    }

    /// GET with `watch=1`. The request is made before this returns, so a refusal (403, 410 on
    /// some servers) throws here; the events then stream until the server closes the response.
    /// Cancelling the consuming task, or dropping the stream, closes the connection.
    public func watch(_ type: ResourceType, namespace: String?, options: KubeListOptions) async throws
        -> AsyncThrowingStream<KubeWatchEvent, any Error> {
        let path = KubePath.collection(type, namespace: namespace) + KubePath.query([("watch", "1")] + options.queryItems)
        // The server ends the watch at timeoutSeconds; the deadline only guards against a
        // server that never does.
        let deadline: NIODeadline = options.timeoutSeconds.map { .now() + .seconds(Int64($0) + 60) } ?? .distantFuture
        let response = try await watchClient.execute(request(.GET, path, body: nil, contentType: nil), deadline: deadline, logger: logger)
        guard (200..<300).contains(Int(response.status.code)) else {
            let body = try await response.body.collect(upTo: 1 << 20)
            throw KubeResponse.status(code: Int(response.status.code), body: Data(body.readableBytesView))
        }
        let (stream, continuation) = AsyncThrowingStream<KubeWatchEvent, any Error>.makeStream()
        let reader = Task {
            var decoder = KubeWatchDecoder(type: type)
            do {
                for try await chunk in response.body {
                    for event in try decoder.feed(chunk.readableBytesView) { continuation.yield(event) }
                }
                if let last = try decoder.finish() { continuation.yield(last) }
                continuation.finish()
            } catch is CancellationError {
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in reader.cancel() }
        return stream
    }

    // MARK: Transport

    private static func namespace(of object: JSONValue) -> String? {
        object["metadata"]?["namespace"]?.string
    }

    private func request(_ method: HTTPMethod, _ path: String, body: JSONValue?, contentType: String?) throws -> HTTPClientRequest {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers = headers
        if let body {
            request.headers.add(name: "Content-Type", value: contentType ?? "application/json")
            request.body = .bytes(ByteBuffer(bytes: try body.encodedBytes()))
        }
        return request
    }

    /// One request and its whole JSON answer, or the server's Status as a thrown ``KubeStatus``.
    private func send(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil,
                      contentType: String = "application/json") async throws -> JSONValue {
        let response = try await client.execute(request(method, path, body: body, contentType: contentType),
                                                timeout: requestTimeout, logger: logger)
        let data = Data(try await response.body.collect(upTo: 512 << 20).readableBytesView)
        let code = Int(response.status.code)
        guard (200..<300).contains(code) else { throw KubeResponse.status(code: code, body: data) }
        return try JSONValue(parsing: data)
    }
}
