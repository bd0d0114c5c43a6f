import EtcdV2
import Foundation
import NIOHTTP1

/// What etcd 3.5 answers over HTTP/1.1 beside gRPC: `/health`, `/version`, `/metrics`
/// (plus `/livez` and `/readyz`, which later 3.5 releases added), with the same status codes,
/// bodies and headers as etcd 3.5.1.
public struct HTTPEndpoints: Sendable {
    /// Client URLs serve everything with etcd's CORS headers; `--listen-metrics-urls`
    /// listeners serve only metrics and health, without them.
    public enum Scope: Sendable { case client, metrics }

    public var scope: Scope
    public var metrics: EtcdMetrics
    /// The names of active alarms (`NOSPACE`, `CORRUPT`), which make `/health` fail.
    public var activeAlarms: @Sendable () -> [String]
    /// etcd's v2 API (`--enable-v2`), emulated over the v3 key space; nil when disabled.
    public var v2: V2KeysServer?

    public init(scope: Scope, metrics: EtcdMetrics, activeAlarms: @escaping @Sendable () -> [String] = { [] }) {
        self.scope = scope
        self.metrics = metrics
        self.activeAlarms = activeAlarms
    }

    /// etcd's `/version` body; the cluster version is reported as major.minor.0.
    static let versionBody = #"{"etcdserver":"\#(EtcdServerContext.etcdVersion)","etcdcluster":"\#(EtcdMetrics.clusterVersion).0"}"#

    /// The answer to one request.
    func respond(method: HTTPMethod, uri: String) -> HTTPReply {
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts.first ?? "")
        let query = parts.count > 1 ? String(parts[1]) : ""
        return withCORS(route(method: method, path: path, query: query))
    }

    /// Whether `uri` is for the v2 API (answered by ``respondV2(method:uri:body:)``).
    func isV2(_ uri: String) -> Bool { scope == .client && v2 != nil && uri.hasPrefix("/v2/") }

    /// The answer to a v2 API request.
    func respondV2(method: HTTPMethod, uri: String, body: [UInt8]) async -> HTTPReply {
        guard let v2 else { return withCORS(.goError(.notFound, "404 page not found")) }
        if method == .OPTIONS { return withCORS(HTTPReply(status: .ok, body: "")) }
        return withCORS(await v2.respond(method: method, uri: uri, body: body))
    }

    private func withCORS(_ routed: HTTPReply) -> HTTPReply {
        var reply = routed
        if scope == .client {
            // etcd wraps its client HTTP handlers in a CORS handler (default origin "*").
            reply.headers.insert(contentsOf: [
                ("Access-Control-Allow-Headers", "accept, content-type, authorization"),
                ("Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE"),
                ("Access-Control-Allow-Origin", "*"),
            ], at: 0)
        }
        return reply
    }

    private func route(method: HTTPMethod, path: String, query: String) -> HTTPReply {
        if scope == .client && method == .OPTIONS {
            return HTTPReply(status: .ok, body: "")
        }
        switch (path, scope) {
        case ("/metrics", _):
            return HTTPReply(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.exposition())
        case ("/health", _):
            guard method == .GET else { return .methodNotAllowed }
            return health(query: query)
        case ("/livez", _), ("/readyz", _):
            guard method == .GET || method == .HEAD else { return .methodNotAllowed }
            return HTTPReply(status: .ok, body: "ok")
        case ("/version", .client):
            guard method == .GET else { return .methodNotAllowed }
            return HTTPReply(status: .ok, explicitContentType: "application/json", body: Self.versionBody)
        default:
            return .goError(.notFound, "404 page not found")
        }
    }

    /// etcd's `checkHealth` for a single member: it always has a leader, so only alarms (less
    /// those named in `?exclude=`) can make it unhealthy.
    private func health(query: String) -> HTTPReply {
        let excluded = Set(query.split(separator: "&").compactMap { pair -> String? in
            let kv = pair.split(separator: "=", maxSplits: 1)
            return kv.count == 2 && kv[0] == "exclude" ? String(kv[1]) : nil
        })
        var reason = ""
        for alarm in activeAlarms() where !excluded.contains(alarm) {
            reason = ["NOSPACE", "CORRUPT"].contains(alarm) ? "ALARM \(alarm)" : "ALARM UNKNOWN"
            break
        }
        let healthy = reason.isEmpty
        metrics.recordHealthCheck(healthy: healthy)
        let body = #"{"health":"\#(healthy)","reason":"\#(reason)"}"#
        return healthy ? HTTPReply(status: .ok, body: body) : .goError(.serviceUnavailable, body)
    }
}

/// One HTTP response, with headers in the order Go's net/http writes them.
struct HTTPReply {
    var status: HTTPResponseStatus
    /// Headers set by the handler (Go writes them sorted).
    var headers: [(String, String)]
    var body: [UInt8]
    /// Go sniffs a Content-Type when the handler set none; it is written after Content-Length.
    var sniffedContentType: String?

    init(status: HTTPResponseStatus, contentType: String = "text/plain; charset=utf-8", body: String) {
        self.init(status: status, contentType: contentType, body: Array(body.utf8))
    }

    init(status: HTTPResponseStatus, contentType: String = "text/plain; charset=utf-8", body: [UInt8]) {
        self.status = status
        headers = []
        self.body = body
        sniffedContentType = body.isEmpty ? nil : contentType
    }

    init(status: HTTPResponseStatus, explicitContentType: String, body: String) {
        self.status = status
        headers = [("Content-Type", explicitContentType)]
        self.body = Array(body.utf8)
    }

    /// Go's `http.Error`: plain text, no sniffing, a trailing newline.
    static func goError(_ status: HTTPResponseStatus, _ message: String) -> HTTPReply {
        var reply = HTTPReply(status: status, explicitContentType: "text/plain; charset=utf-8", body: message + "\n")
        reply.headers.append(("X-Content-Type-Options", "nosniff"))
        return reply
    }

    static var methodNotAllowed: HTTPReply {
        var reply = goError(.methodNotAllowed, "Method Not Allowed")
        reply.headers.insert(("Allow", "GET"), at: 0)
        return reply
    }
}
