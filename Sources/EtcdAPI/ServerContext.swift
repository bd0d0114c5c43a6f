import KetchStore

/// What every service needs: the store, who we are, and etcd's request limits.
public struct EtcdServerContext: Sendable {
    public let store: MVCCStore
    public let identity: MemberIdentity
    /// `--max-request-bytes`: the largest write request accepted.
    public let maxRequestBytes: Int
    /// Client-certificate identities of open TLS connections (empty without client-cert auth).
    public let peers: PeerIdentities
    /// How often a watch that asked for progress notifications gets one while idle
    /// (etcd's `--experimental-watch-progress-notify-interval`, 10 minutes by default).
    public var watchProgressInterval: Duration = .seconds(600)
    /// The version reported by Status and /version; the etcd release whose API Ketch speaks.
    public static let etcdVersion = "3.5.1"

    public init(store: MVCCStore, identity: MemberIdentity, maxRequestBytes: Int, peers: PeerIdentities = PeerIdentities()) {
        self.store = store
        self.identity = identity
        self.maxRequestBytes = maxRequestBytes
        self.peers = peers
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
