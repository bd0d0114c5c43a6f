import KetchPKI
import NIOCore
import NIOSSL

/// Sits after the TLS handler: once the handshake has verified a client certificate, records
/// its CN and O in ``PeerIdentities`` under the connection's gRPC remote-peer string, and
/// forgets them when the connection closes. (The custom transport leaves
/// `ServerContext.transportSpecific` empty, so this table is how services learn the CN.)
final class PeerIdentityRecorder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let peers: PeerIdentities
    private var recordedKey: String?
    private var checked = false

    init(peers: PeerIdentities) {
        self.peers = peers
    }

    /// Decrypted bytes arrive only after the handshake, and before any RPC can run on them, so
    /// the first read is the moment to look at the verified certificate (without depending on
    /// NIOTLS's handshake event).
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !checked {
            checked = true
            if let tls = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
               let certificate = tls.peerCertificate,
               let identity = Self.identity(of: certificate)
            {
                let key = RemotePeerAddress.grpcString(of: context.channel)
                peers.record(identity, forPeer: key)
                recordedKey = key
            }
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        forget()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        forget()
    }

    private func forget() {
        if let key = recordedKey {
            peers.forget(peer: key)
            recordedKey = nil
        }
    }

    /// The subject's common name and organisations, as etcd reads them for CN-based users.
    static func identity(of certificate: NIOSSLCertificate) -> PeerIdentities.Identity? {
        guard let der = try? certificate.toDERBytes(), let parsed = try? Certificate(der: der) else { return nil }
        let subject = parsed.subject
        return PeerIdentities.Identity(commonName: subject.commonName, organizations: subject.organizations)
    }
}
