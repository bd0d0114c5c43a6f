import Hummingbird
import HummingbirdWebSocket
import KubeCore
import NIOCore

/// Per-request state: Hummingbird's core storage, the connection (for its TLS peer
/// certificate) and, once the authentication middleware has run, who is asking and what the
/// request is about, parsed once for authorization, the router and the handlers.
public struct KubeRequestContext: RequestContext, WebSocketRequestContext {
    /// Hummingbird's request storage.
    public var coreContext: CoreRequestContextStorage
    /// Set when a route upgrades to WebSocket (`kubectl exec`).
    public let webSocket: WebSocketHandlerReference<Self>
    /// The connection the request came on.
    public let channel: any Channel
    /// The authenticated user; nil until the authentication middleware has run.
    public var user: UserInfo?
    /// What the request is about; nil until the authentication middleware has run.
    public var requestInfo: RequestInfo?
    /// The query parameters, parsed with `requestInfo`.
    var query: RequestQuery?

    /// Creates the context for a request on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.channel = source.channel
        self.user = nil
        self.requestInfo = nil
        self.query = nil
    }

    /// kube-apiserver accepts request bodies up to 3 MiB.
    public var maxUploadSize: Int { 3 * 1024 * 1024 }
}

extension KubeRequestContext {
    /// Stores what `request` is about in the context, unless that was done already, and
    /// returns it.
    @discardableResult
    mutating func parse(_ request: Request) -> (info: RequestInfo, query: RequestQuery) {
        let parsed = self.parsed(request)
        requestInfo = parsed.info
        query = parsed.query
        return parsed
    }

    /// The request's info and query: those the middleware stored, or parsed now for a request
    /// that did not pass through it.
    func parsed(_ request: Request) -> (info: RequestInfo, query: RequestQuery) {
        if let requestInfo, let query { return (requestInfo, query) }
        return Self.read(request)
    }

    private static func read(_ request: Request) -> (info: RequestInfo, query: RequestQuery) {
        let query = RequestQuery(request)
        return (RequestInfo(method: request.method.rawValue, path: request.uri.path, query: query.first), query)
    }
}
