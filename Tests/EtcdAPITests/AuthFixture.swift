import EtcdProto
import Foundation
import GRPCCore
@testable import EtcdAPI
@testable import KetchStore

/// A store with KV and Auth services in process, and helpers to call them as a client would.
final class AuthFixture {
    let directory = NSTemporaryDirectory() + "ketch-auth-\(UUID().uuidString)"
    let store: MVCCStore
    let peers = PeerIdentities()
    let context: EtcdServerContext
    let auth: AuthService
    let kv: KVService
    let cluster: ClusterService

    init(tokenTTL: Duration = .seconds(300)) throws {
        store = try MVCCStore(dataDirectory: directory)
        let identity = MemberIdentity(name: "n", peerURLs: ["http://127.0.0.1:2380"], clientURLs: [], clusterToken: "t")
        let gate = try AuthGate(store: store, peers: peers, tokenTTL: tokenTTL)
        context = EtcdServerContext(store: store, identity: identity, maxRequestBytes: 1_572_864, peers: peers, auth: gate)
        auth = AuthService(context: context)
        kv = KVService(context: context)
        cluster = ClusterService(context: context)
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static let peer = "ipv4:127.0.0.1:40000"

    static func rpc(peer: String = peer) -> ServerContext {
        ServerContext(descriptor: Etcdserverpb_Auth.Method.UserAdd.descriptor, remotePeer: peer, localPeer: "in-process",
                      cancellation: .init())
    }

    static func metadata(_ token: String?) -> Metadata {
        guard let token else { return [:] }
        return ["token": "\(token)"]
    }

    /// Calls an Auth or KV method with `token` in the metadata, returning the message or throwing its RPCError.
    func call<In: Sendable, Out: Sendable>(
        _ method: (ServerRequest<In>, ServerContext) async throws -> ServerResponse<Out>, _ message: In,
        token: String? = nil, peer: String = peer
    ) async throws -> Out {
        let response = try await method(ServerRequest(metadata: Self.metadata(token), message: message), Self.rpc(peer: peer))
        return try response.message
    }

    func userAdd(_ name: String, _ password: String, noPassword: Bool = false, token: String? = nil) async throws {
        var r = Etcdserverpb_AuthUserAddRequest()
        r.name = name
        r.password = password
        r.options.noPassword = noPassword
        _ = try await call(auth.userAdd, r, token: token)
    }

    func roleAdd(_ name: String, token: String? = nil) async throws {
        var r = Etcdserverpb_AuthRoleAddRequest()
        r.name = name
        _ = try await call(auth.roleAdd, r, token: token)
    }

    func grantRole(_ role: String, to user: String, token: String? = nil) async throws {
        var r = Etcdserverpb_AuthUserGrantRoleRequest()
        r.user = user
        r.role = role
        _ = try await call(auth.userGrantRole, r, token: token)
    }

    func grantPermission(_ role: String, _ type: Authpb_Permission.TypeEnum, _ key: String, _ end: String = "", token: String? = nil) async throws {
        var r = Etcdserverpb_AuthRoleGrantPermissionRequest()
        r.name = role
        r.perm.permType = type
        r.perm.key = Data(key.utf8)
        r.perm.rangeEnd = Data(end.utf8)
        _ = try await call(auth.roleGrantPermission, r, token: token)
    }

    func enable(token: String? = nil) async throws {
        _ = try await call(auth.authEnable, Etcdserverpb_AuthEnableRequest(), token: token)
    }

    func authenticate(_ name: String, _ password: String) async throws -> String {
        var r = Etcdserverpb_AuthenticateRequest()
        r.name = name
        r.password = password
        return try await call(auth.authenticate, r).token
    }

    @discardableResult
    func put(_ key: String, _ value: String, token: String?, prevKV: Bool = false) async throws -> Etcdserverpb_PutResponse {
        var r = Etcdserverpb_PutRequest()
        r.key = Data(key.utf8)
        r.value = Data(value.utf8)
        r.prevKv = prevKV
        return try await call(kv.put, r, token: token)
    }

    func get(_ key: String, _ end: String = "", token: String?) async throws -> Etcdserverpb_RangeResponse {
        var r = Etcdserverpb_RangeRequest()
        r.key = Data(key.utf8)
        r.rangeEnd = Data(end.utf8)
        return try await call(kv.range, r, token: token)
    }

    /// root/rootpw holding the root role, auth on; returns root's token.
    func enableWithRoot() async throws -> String {
        try await userAdd("root", "rootpw")
        try await grantRole("root", to: "root")
        try await enable()
        return try await authenticate("root", "rootpw")
    }
}

/// The RPCError a call ended with, for `#expect` comparisons.
func rpcFailure(_ body: () async throws -> Void) async -> RPCError? {
    do {
        try await body()
        return nil
    } catch let error as RPCError {
        return error
    } catch let error as any RPCErrorConvertible {
        return RPCError(error)
    } catch {
        return RPCError(code: .unknown, message: "\(error)")
    }
}
