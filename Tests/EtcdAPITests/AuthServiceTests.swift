import EtcdProto
import Foundation
import GRPCCore
import Testing
@testable import EtcdAPI
@testable import KetchStore

/// The Auth service and the KV/Cluster auth checks, in process, against etcd 3.5's answers.
@Suite("Auth service")
struct AuthServiceTests {
    @Test("etcdctl's enable sequence, then status and listings need root")
    func enableAndStatus() async throws {
        let f = try AuthFixture()
        try await f.userAdd("root", "rootpw")
        let noRole = await rpcFailure { try await f.enable() }
        #expect(noRole?.code == .failedPrecondition && noRole?.message == "etcdserver: root user does not have root role")
        try await f.roleAdd("root")
        try await f.grantRole("root", to: "root")
        try await f.enable()
        let anonymous = await rpcFailure { _ = try await f.call(f.auth.authStatus, Etcdserverpb_AuthStatusRequest()) }
        #expect(anonymous?.code == .invalidArgument && anonymous?.message == "etcdserver: user name is empty")
        let token = try await f.authenticate("root", "rootpw")
        #expect(token.split(separator: ".").count == 2 && token.split(separator: ".")[0].count == 16)
        let status = try await f.call(f.auth.authStatus, Etcdserverpb_AuthStatusRequest(), token: token)
        #expect(status.enabled && status.authRevision == 4)
        #expect(status.header.revision == 1 && status.header.memberID != 0)
        let users = try await f.call(f.auth.userList, Etcdserverpb_AuthUserListRequest(), token: token)
        #expect(users.users == ["root"])
    }

    @Test("wrong passwords, unknown users, no-password users and auth off fail as in etcd")
    func authenticateFailures() async throws {
        let f = try AuthFixture()
        let off = await rpcFailure { _ = try await f.authenticate("root", "x") }
        #expect(off?.code == .failedPrecondition && off?.message == "etcdserver: authentication is not enabled")
        try await f.userAdd("cn", "", noPassword: true)
        let root = try await f.enableWithRoot()
        _ = root
        let wrong = await rpcFailure { _ = try await f.authenticate("root", "nope") }
        #expect(wrong?.code == .invalidArgument && wrong?.message == "etcdserver: authentication failed, invalid user ID or password")
        let unknown = await rpcFailure { _ = try await f.authenticate("bob", "x") }
        #expect(unknown?.message == "etcdserver: authentication failed, invalid user ID or password")
        let noPassword = await rpcFailure { _ = try await f.authenticate("cn", "x") }
        #expect(noPassword?.code == .unknown
            && noPassword?.message == "auth: authentication failed, password was given for no password user")
    }

    @Test("a limited user reads and writes only what its role grants")
    func keyPermissions() async throws {
        let f = try AuthFixture()
        let root = try await f.enableWithRoot()
        try await f.userAdd("alice", "pw", token: root)
        try await f.roleAdd("r", token: root)
        try await f.grantPermission("r", .read, "a", token: root)
        try await f.grantPermission("r", .readwrite, "p/", "p0", token: root)
        try await f.grantPermission("r", .write, "z", "\0", token: root)
        try await f.grantRole("r", to: "alice", token: root)
        try await f.put("a", "1", token: root)
        let alice = try await f.authenticate("alice", "pw")

        #expect(try await f.get("a", token: alice).kvs.count == 1)
        try await f.put("p/x", "1", token: alice)
        try await f.put("zz", "1", token: alice)
        #expect(try await f.get("p/", "p0", token: alice).kvs.count == 1)
        for denied in [
            { _ = try await f.put("a", "2", token: alice) },
            { _ = try await f.get("p", "q", token: alice) },
            { _ = try await f.get("zz", token: alice) },
            { _ = try await f.put("zz", "2", token: alice, prevKV: true) },
        ] as [() async throws -> Void] {
            let error = await rpcFailure(denied)
            #expect(error?.code == .permissionDenied && error?.message == "etcdserver: permission denied")
        }
        let anonymous = await rpcFailure { _ = try await f.get("a", token: nil) }
        #expect(anonymous?.message == "etcdserver: user name is empty")
        let forged = await rpcFailure { _ = try await f.get("a", token: "abcdefghijklmnop.99") }
        #expect(forged?.code == .unauthenticated && forged?.message == "etcdserver: invalid auth token")
        // Malformed requests get their own error first, as in etcd.
        let empty = await rpcFailure { _ = try await f.get("", token: nil) }
        #expect(empty?.message == "etcdserver: key is not provided")
    }

    @Test("txn needs read for compares and ranges, write for puts and deletes, nested txns included")
    func txnPermissions() async throws {
        let f = try AuthFixture()
        let root = try await f.enableWithRoot()
        try await f.userAdd("alice", "pw", token: root)
        try await f.roleAdd("r", token: root)
        try await f.grantPermission("r", .read, "a", token: root)
        try await f.grantPermission("r", .readwrite, "w", token: root)
        try await f.grantRole("r", to: "alice", token: root)
        let alice = try await f.authenticate("alice", "pw")

        func op(put key: String) -> Etcdserverpb_RequestOp {
            var op = Etcdserverpb_RequestOp()
            op.requestPut.key = Data(key.utf8)
            return op
        }
        var txn = Etcdserverpb_TxnRequest()
        var compare = Etcdserverpb_Compare()
        compare.key = Data("a".utf8)
        compare.target = .version
        txn.compare = [compare]
        txn.success = [op(put: "w")]
        _ = try await f.call(f.kv.txn, txn, token: alice)

        txn.failure = [op(put: "a")]
        let failureBranch = await rpcFailure { _ = try await f.call(f.kv.txn, txn, token: alice) }
        #expect(failureBranch?.code == .permissionDenied)

        var nested = Etcdserverpb_TxnRequest()
        nested.success = [op(put: "a")]
        var outer = Etcdserverpb_TxnRequest()
        var inner = Etcdserverpb_RequestOp()
        inner.requestTxn = nested
        outer.success = [inner]
        let nestedDenied = await rpcFailure { _ = try await f.call(f.kv.txn, outer, token: alice) }
        #expect(nestedDenied?.code == .permissionDenied)
    }

    @Test("users see their own entry and their roles; everything else needs root")
    func selfService() async throws {
        let f = try AuthFixture()
        let root = try await f.enableWithRoot()
        try await f.userAdd("alice", "pw", token: root)
        try await f.roleAdd("r", token: root)
        try await f.roleAdd("other", token: root)
        try await f.grantPermission("r", .read, "a", token: root)
        try await f.grantRole("r", to: "alice", token: root)
        let alice = try await f.authenticate("alice", "pw")

        var me = Etcdserverpb_AuthUserGetRequest()
        me.name = "alice"
        #expect(try await f.call(f.auth.userGet, me, token: alice).roles == ["r"])
        var role = Etcdserverpb_AuthRoleGetRequest()
        role.role = "r"
        #expect(try await f.call(f.auth.roleGet, role, token: alice).perm.map(\.key) == [Data("a".utf8)])
        role.role = "other"
        let otherRole = await rpcFailure { _ = try await f.call(f.auth.roleGet, role, token: alice) }
        #expect(otherRole?.code == .permissionDenied)
        me.name = "root"
        let otherUser = await rpcFailure { _ = try await f.call(f.auth.userGet, me, token: alice) }
        #expect(otherUser?.code == .permissionDenied)
        let addUser = await rpcFailure { try await f.userAdd("eve", "x", token: alice) }
        #expect(addUser?.code == .permissionDenied && addUser?.message == "etcdserver: permission denied")
        let memberAdd = await rpcFailure {
            _ = try await f.call(f.cluster.memberAdd, Etcdserverpb_MemberAddRequest(), token: alice)
        }
        #expect(memberAdd?.code == .permissionDenied)
        _ = try await f.call(f.cluster.memberList, Etcdserverpb_MemberListRequest(), token: nil)
    }

    @Test("password change, user deletion and auth disable invalidate tokens")
    func tokenInvalidation() async throws {
        let f = try AuthFixture()
        let root = try await f.enableWithRoot()
        try await f.userAdd("alice", "pw", token: root)
        try await f.grantRole("root", to: "alice", token: root)
        let alice = try await f.authenticate("alice", "pw")
        _ = try await f.get("a", token: alice)

        var change = Etcdserverpb_AuthUserChangePasswordRequest()
        change.name = "alice"
        change.password = "new"
        _ = try await f.call(f.auth.userChangePassword, change, token: root)
        let stale = await rpcFailure { _ = try await f.get("a", token: alice) }
        #expect(stale?.message == "etcdserver: invalid auth token")
        #expect(await rpcFailure { _ = try await f.authenticate("alice", "pw") } != nil)
        let alice2 = try await f.authenticate("alice", "new")

        _ = try await f.call(f.auth.authDisable, Etcdserverpb_AuthDisableRequest(), token: root)
        _ = try await f.get("a", token: alice2)  // auth off: the token is not even looked at
        try await f.enable()
        let afterDisable = await rpcFailure { _ = try await f.get("a", token: alice2) }
        #expect(afterDisable?.message == "etcdserver: invalid auth token")
    }

    @Test("tokens expire after the TTL since their last use")
    func tokenTTL() async throws {
        // The TTL leaves a wide margin over each pause: in a parallel test run a call can
        // take a few hundred milliseconds, and that must not count as expiry.
        let f = try AuthFixture(tokenTTL: .milliseconds(2_000))
        let root = try await f.enableWithRoot()
        for _ in 0..<4 {
            try await Task.sleep(for: .milliseconds(700))  // 2.8 s in all, past one TTL
            _ = try await f.get("a", token: root)  // each use renews
        }
        try await Task.sleep(for: .milliseconds(2_600))
        let expired = await rpcFailure { _ = try await f.get("a", token: root) }
        #expect(expired?.message == "etcdserver: invalid auth token")
    }

    @Test("without a token, a verified client certificate's CN is the user")
    func commonNameUser() async throws {
        let f = try AuthFixture()
        let root = try await f.enableWithRoot()
        try await f.userAdd("cn-user", "", noPassword: true, token: root)
        try await f.roleAdd("r", token: root)
        try await f.grantPermission("r", .readwrite, "k", token: root)
        try await f.grantRole("r", to: "cn-user", token: root)
        let tlsPeer = "ipv4:10.0.0.1:5555"
        f.peers.record(.init(commonName: "cn-user", organizations: []), forPeer: tlsPeer)
        var put = Etcdserverpb_PutRequest()
        put.key = Data("k".utf8)
        _ = try await f.call(f.kv.put, put, peer: tlsPeer)
        put.key = Data("other".utf8)
        let denied = await rpcFailure { _ = try await f.call(f.kv.put, put, peer: tlsPeer) }
        #expect(denied?.code == .permissionDenied)
        // A token wins over the certificate.
        _ = try await f.call(f.kv.put, put, token: root, peer: tlsPeer)
        let caller = try f.context.auth.caller(metadata: [:], remotePeer: tlsPeer)
        #expect(caller.user == "cn-user")
    }

    @Test("with auth off the gate lets everything through without a user")
    func disabledGate() async throws {
        let f = try AuthFixture()
        let caller = try f.context.auth.caller(metadata: ["token": "garbage"], remotePeer: AuthFixture.peer)
        #expect(caller.user == nil)
        try f.context.auth.checkWrite(caller, key: Data("x".utf8), rangeEnd: Data([0]))
        try f.context.auth.checkAdmin(caller)
        try await f.put("x", "1", token: "garbage")
    }

    @Test("a gate whose state cannot be loaded refuses everything")
    func unavailableGate() async throws {
        let gate = AuthGate(unavailable: AuthError.storageFailure("disk gone"))
        #expect(gate.isEnabled)
        #expect(throws: AuthError.storageFailure("disk gone")) {
            _ = try gate.caller(metadata: [:], remotePeer: AuthFixture.peer)
        }
    }

    @Test("auth state set through the service survives a restart")
    func restart() async throws {
        let directory = NSTemporaryDirectory() + "ketch-auth-restart-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let store = try MVCCStore(dataDirectory: directory)
            defer { store.close() }
            let context = EtcdServerContext(store: store, identity: MemberIdentity(name: "n", peerURLs: [], clientURLs: [], clusterToken: "t"),
                                            maxRequestBytes: 1 << 20)
            let service = AuthService(context: context)
            var add = Etcdserverpb_AuthUserAddRequest()
            add.name = "root"
            add.password = "pw"
            _ = try await service.userAdd(request: ServerRequest(metadata: [:], message: add), context: AuthFixture.rpc()).message
            var grant = Etcdserverpb_AuthUserGrantRoleRequest()
            grant.user = "root"
            grant.role = "root"
            _ = try await service.userGrantRole(request: ServerRequest(metadata: [:], message: grant), context: AuthFixture.rpc()).message
            _ = try await service.authEnable(request: ServerRequest(metadata: [:], message: .init()), context: AuthFixture.rpc()).message
        }
        let store = try MVCCStore(dataDirectory: directory)
        defer { store.close() }
        let gate = try AuthGate(store: store)
        #expect(gate.isEnabled)
        let token = try await gate.authenticate(name: "root", password: "pw")
        #expect(try gate.caller(metadata: ["token": "\(token)"], remotePeer: "x").user == "root")
    }
}
