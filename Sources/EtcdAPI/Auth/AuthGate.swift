import Foundation
import GRPCCore
import KetchStore

/// Who is calling, as far as authorization is concerned.
public struct AuthCaller: Sendable {
    /// The user name; nil when auth was off (every check passes), empty for a request that
    /// carried no credentials while auth is on (etcd then answers `user name is empty`).
    public var user: String?

    public init(user: String?) {
        self.user = user
    }
}

/// The authorization seam every service calls: resolves the caller of an RPC and checks key
/// and admin permissions with etcd 3.5's rules and errors (thrown as `AuthError`, which ends an
/// RPC with etcd's gRPC status on its own).
///
/// With auth off, `caller` and every check cost one atomic load and allocate nothing.
public final class AuthGate: Sendable {
    /// The auth state; nil when it could not be opened, and then every call fails (closed).
    let store: AuthStore?
    private let failure: AuthError?
    private let peers: PeerIdentities
    let tokens: SimpleTokens

    /// A gate over `store`. `peers` must be the table the TLS listeners fill, so a client
    /// certificate's CN can stand for the user; `tokenTTL` is etcd's `--auth-token-ttl`.
    public init(store: AuthStore, peers: PeerIdentities = PeerIdentities(), tokenTTL: Duration = .seconds(300)) {
        self.store = store
        self.peers = peers
        failure = nil
        tokens = SimpleTokens(ttl: tokenTTL)
    }

    /// A gate over the auth tables of `store`'s database (created if missing).
    public convenience init(store: MVCCStore, peers: PeerIdentities = PeerIdentities(), tokenTTL: Duration = .seconds(300)) throws {
        self.init(store: try store.openAuthStore(), peers: peers, tokenTTL: tokenTTL)
    }

    /// A gate whose auth state could not be loaded: it refuses every request rather than
    /// serve data that auth may be protecting.
    init(unavailable error: any Error) {
        store = nil
        peers = PeerIdentities()
        failure = (error as? AuthError) ?? .storageFailure("auth state unavailable: \(error)")
        tokens = SimpleTokens(ttl: .seconds(1))
    }

    /// Whether requests need checking at all. True when the state is unavailable, so callers
    /// take the checking path and fail.
    public var isEnabled: Bool {
        guard let store else { return true }
        return store.isEnabled
    }

    /// Who is calling: the user of the `token` metadata entry, else the CN of the verified
    /// client certificate of the connection, else nobody (empty user). Throws
    /// `invalid auth token` for a token that is unknown or expired.
    public func caller(metadata: GRPCCore.Metadata, remotePeer: String) throws -> AuthCaller {
        let store = try available()
        guard store.isEnabled else { return AuthCaller(user: nil) }
        if let token = Self.token(in: metadata) {
            guard let user = tokens.user(of: token) else { throw AuthError.invalidAuthToken }
            return AuthCaller(user: user)
        }
        if let identity = peers.identity(forPeer: remotePeer) {
            return AuthCaller(user: identity.commonName)
        }
        return AuthCaller(user: "")
    }

    /// Requires read permission on `key` (`rangeEnd` empty) or on `[key, rangeEnd)`.
    public func checkRead(_ caller: AuthCaller, key: Data, rangeEnd: Data) throws {
        try check(.read, caller, key: key, rangeEnd: rangeEnd)
    }

    /// Requires write permission on `key` (`rangeEnd` empty) or on `[key, rangeEnd)`.
    public func checkWrite(_ caller: AuthCaller, key: Data, rangeEnd: Data) throws {
        try check(.write, caller, key: key, rangeEnd: rangeEnd)
    }

    /// Requires the root role (etcd's `IsAdminPermitted`).
    public func checkAdmin(_ caller: AuthCaller) throws {
        guard let user = caller.user else { return }
        let store = try available()
        guard store.isEnabled else { return }
        try store.snapshot.checkAdmin(user: user)
    }

    private func check(_ access: KeyAccess, _ caller: AuthCaller, key: Data, rangeEnd: Data) throws {
        guard let user = caller.user else { return }
        let store = try available()
        guard store.isEnabled else { return }
        try store.snapshot.check(access, user: user, key: key, rangeEnd: rangeEnd)
    }

    func available() throws -> AuthStore {
        guard let store else { throw failure ?? .storageFailure("auth state unavailable") }
        return store
    }

    /// etcd reads the token from `token`, or `authorization` as its HTTP gateway sends it.
    private static func token(in metadata: GRPCCore.Metadata) -> String? {
        for key in ["token", "authorization"] {
            if let value = metadata[stringValues: key].first(where: { _ in true }) { return value }
        }
        return nil
    }
}
