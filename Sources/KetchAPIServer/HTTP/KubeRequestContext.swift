import Hummingbird
import HummingbirdWebSocket
import KubeCore
import NIOCore

/// Per-request state: Hummingbird's core storage, the connection (for its TLS peer
/// certificate) and, once authenticated, who is asking.
public struct KubeRequestContext: RequestContext, WebSocketRequestContext {
    /// Hummingbird's request storage.
    public var coreContext: CoreRequestContextStorage
    /// Set when a route upgrades to WebSocket (`kubectl exec`).
    public let webSocket: WebSocketHandlerReference<Self>
    /// The connection the request came on.
    public let channel: any Channel
    /// The authenticated user; nil until the authentication middleware has run.
    public var user: UserInfo?

    /// Creates the context for a request on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.channel = source.channel
        self.user = nil
    }

    /// kube-apiserver accepts request bodies up to 3 MiB.
    public var maxUploadSize: Int { 3 * 1024 * 1024 }
}
