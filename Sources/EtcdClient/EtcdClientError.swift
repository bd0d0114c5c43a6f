import GRPCCore

/// An error from ``EtcdClient``. Server errors keep etcd's message text exactly
/// (`etcdserver: mvcc: required revision has been compacted`, `etcdserver: permission denied`, …),
/// which is how etcd's own clients tell them apart.
public enum EtcdClientError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The server answered with a gRPC error: its status code and message, unchanged.
    case server(code: RPCError.Code, message: String)
    /// No endpoint could be reached (connection refused, TLS handshake failure, DNS, …).
    case unavailable(endpoints: [String], underlying: String)
    /// The request's deadline (``EtcdClientConfiguration/requestTimeout``) passed.
    case deadlineExceeded
    /// A watch was cancelled by etcd because its start revision has been compacted;
    /// re-list at a newer revision and watch from there.
    case compacted(compactRevision: Int64)
    /// A watch was cancelled by etcd for another reason (its message).
    case watchCanceled(reason: String)
    /// The configuration cannot be used (bad endpoint, certificate without key, …).
    case invalidConfiguration(String)
    /// The client was closed.
    case closed

    public var description: String {
        switch self {
        case .server(_, let message): return message
        case .unavailable(let endpoints, let underlying):
            return "etcd is unavailable: no endpoint answered (tried \(endpoints.joined(separator: ", "))): \(underlying). "
                + "Check that etcd runs there, that the scheme matches its TLS setup (http vs https), "
                + "and the CA, certificate and key files."
        case .deadlineExceeded: return "context deadline exceeded"
        case .compacted: return "etcdserver: mvcc: required revision has been compacted"
        case .watchCanceled(let reason): return reason.isEmpty ? "watch was canceled by the server" : reason
        case .invalidConfiguration(let text): return "invalid etcd client configuration: \(text)"
        case .closed: return "etcd client is closed"
        }
    }

    /// etcd's message (server errors) or this error's description.
    public var message: String { description }

    /// The requested revision is older than the compacted one.
    public var isCompacted: Bool {
        if case .compacted = self { return true }
        return message == "etcdserver: mvcc: required revision has been compacted"
    }

    /// The requested revision is newer than the store's.
    public var isFutureRevision: Bool { message == "etcdserver: mvcc: required revision is a future revision" }

    /// The user lacks permission (auth enabled).
    public var isPermissionDenied: Bool { message == "etcdserver: permission denied" }

    /// The client could not reach etcd.
    public var isUnavailable: Bool {
        if case .unavailable = self { return true }
        return false
    }

    /// etcd's gRPC status code, for server errors.
    public var code: RPCError.Code? {
        switch self {
        case .server(let code, _): return code
        case .unavailable: return .unavailable
        case .deadlineExceeded: return .deadlineExceeded
        case .compacted: return .outOfRange
        default: return nil
        }
    }
}
