import Synchronization

/// The verified client-certificate identity of each open connection, keyed by the gRPC
/// remote-peer string (`ipv4:HOST:PORT`, `ipv6:[HOST]:PORT`).
///
/// The TLS listener records a connection's certificate CN (and O) after the handshake and
/// forgets it when the connection closes; services look it up by `ServerContext.remotePeer`
/// (a custom transport leaves `transportSpecific` empty, so this is how the CN reaches them).
public final class PeerIdentities: Sendable {
    /// Who a client certificate says the caller is.
    public struct Identity: Sendable, Equatable {
        public var commonName: String
        public var organizations: [String]

        public init(commonName: String, organizations: [String]) {
            self.commonName = commonName
            self.organizations = organizations
        }
    }

    private let table = Mutex<[String: Identity]>([:])

    public init() {}

    public func record(_ identity: Identity, forPeer peer: String) {
        table.withLock { $0[peer] = identity }
    }

    public func forget(peer: String) {
        table.withLock { $0[peer] = nil }
    }

    public func identity(forPeer peer: String) -> Identity? {
        table.withLock { $0[peer] }
    }
}
