import EtcdProto
import KetchStore

/// What every service needs: the store, who we are, and etcd's request limits.
public struct EtcdServerContext: Sendable {
    public let store: MVCCStore
    public let identity: MemberIdentity
    /// `--max-request-bytes`: the largest write request accepted.
    public let maxRequestBytes: Int
    /// Client-certificate identities of open TLS connections (empty without client-cert auth).
    public let peers: PeerIdentities
    /// Authentication and authorization; every service asks it who is calling and what they may do.
    public let auth: AuthGate
    /// How often a watch that asked for progress notifications gets one while idle
    /// (etcd's `--experimental-watch-progress-notify-interval`, 10 minutes by default).
    public var watchProgressInterval: Duration = .seconds(600)
    /// `--quota-backend-bytes` as given: 0 means etcd's default (2 GiB), negative disables the quota.
    public let quotaBackendBytes: Int64
    /// The version reported by Status and /version; the etcd release whose API Ketch speaks.
    public static let etcdVersion = "3.5.1"

    /// Without `auth`, opens the auth state kept in `store`'s database with etcd's default token
    /// TTL; if that fails, the gate refuses every request (see `AuthGate`). Pass a gate built with
    /// `AuthGate(store:peers:tokenTTL:)` to surface that failure at startup or set the TTL.
    public init(store: MVCCStore, identity: MemberIdentity, maxRequestBytes: Int, peers: PeerIdentities = PeerIdentities(),
                auth: AuthGate? = nil, quotaBackendBytes: Int64 = 0) {
        self.store = store
        self.identity = identity
        self.maxRequestBytes = maxRequestBytes
        self.peers = peers
        self.quotaBackendBytes = quotaBackendBytes
        store.configureQuota(memberID: identity.memberID, quotaBackendBytes: quotaBackendBytes)
        if let auth {
            self.auth = auth
        } else {
            do {
                self.auth = try AuthGate(store: store, peers: peers)
            } catch {
                self.auth = AuthGate(unavailable: error)
            }
        }
    }

    /// A response header at `revision`, filled as etcd's `header.fill` does.
    func header(revision: Int64) -> Etcdserverpb_ResponseHeader {
        var h = Etcdserverpb_ResponseHeader()
        h.clusterID = identity.clusterID
        h.memberID = identity.memberID
        h.revision = revision
        h.raftTerm = UInt64(store.term)
        return h
    }
}
