import EtcdAPI
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import KetchStore

/// Ketch's etcd services on a loopback port (plaintext, port 0) over a store in a temporary
/// directory: the server the client-side unit tests (EtcdClient, KetchCtl) talk to.
public final class InProcessEtcd: Sendable {
    /// The store's data directory, removed by ``stop()``.
    public let directory: String
    /// The store the services run on.
    public let store: MVCCStore
    /// The loopback port it listens on.
    public let port: Int
    private let serving: Task<Void, any Error>
    private let server: GRPCServer<HTTP2ServerTransport.Posix>

    /// `http://127.0.0.1:<port>`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Starts the services over a fresh store.
    public init() async throws {
        directory = NSTemporaryDirectory() + "ketch-etcd-test-\(UUID().uuidString)"
        store = try MVCCStore(dataDirectory: directory)
        let identity = MemberIdentity(name: "n1", peerURLs: ["http://127.0.0.1:2380"], clientURLs: [], clusterToken: "t")
        let context = EtcdServerContext(store: store, identity: identity, maxRequestBytes: 1_572_864)
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext)
        let server = GRPCServer(transport: transport, services: [
            KVService(context: context), MaintenanceService(context: context), ClusterService(context: context),
            AuthService(context: context), WatchService(context: context), LeaseService(context: context),
        ])
        self.server = server
        serving = Task { try await server.serve() }
        guard let address = try await transport.listeningAddress.ipv4 else {
            throw CancellationError()
        }
        port = address.port
    }

    /// Shuts the server down and removes the store.
    public func stop() async {
        server.beginGracefulShutdown()
        serving.cancel()
        _ = try? await serving.value
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
