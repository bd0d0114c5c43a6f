import EtcdProto
import Foundation
import GRPCCore
import KetchStore

/// etcd's Auth service: auth on/off and status, Authenticate, users and roles.
///
/// Every RPC but Authenticate resolves the caller first (a bad token fails here) and, as
/// etcd's `needAdminPermission` says, needs the root role while auth is on; a user may still
/// read their own user and the roles they hold.
public struct AuthService: Etcdserverpb_Auth.ServiceProtocol {
    let context: EtcdServerContext

    public init(context: EtcdServerContext) {
        self.context = context
    }

    private var gate: AuthGate { context.auth }

    // MARK: Auth on/off

    public func authEnable(request: ServerRequest<Etcdserverpb_AuthEnableRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthEnableResponse> {
        try await serve(request, rpc) { _, store in
            try store.update { try $0.enable() }
            return Etcdserverpb_AuthEnableResponse()
        }
    }

    public func authDisable(request: ServerRequest<Etcdserverpb_AuthDisableRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthDisableResponse> {
        try await serve(request, rpc) { _, store in
            let (old, new) = try store.update { $0.disable() }
            if old.isEnabled && !new.isEnabled { gate.tokens.invalidateAll() }
            return Etcdserverpb_AuthDisableResponse()
        }
    }

    public func authStatus(request: ServerRequest<Etcdserverpb_AuthStatusRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthStatusResponse> {
        try await serve(request, rpc) { _, store in
            let state = store.snapshot.state
            var out = Etcdserverpb_AuthStatusResponse()
            out.enabled = state.isEnabled
            out.authRevision = state.revision
            return out
        }
    }

    public func authenticate(request: ServerRequest<Etcdserverpb_AuthenticateRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthenticateResponse> {
        // Credentials are what is being checked, so no caller is resolved first.
        try await serve(request, rpc, resolveCaller: false) { _, _ in
            var out = Etcdserverpb_AuthenticateResponse()
            out.token = try await gate.authenticate(name: request.message.name, password: request.message.password)
            return out
        }
    }

    // MARK: Users

    public func userAdd(request: ServerRequest<Etcdserverpb_AuthUserAddRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthUserAddResponse> {
        try await serve(request, rpc) { _, store in
            let r = request.message
            guard !r.name.isEmpty else { throw AuthError.userEmpty }
            // Fail before the slow hash when the answer is already known.
            guard store.snapshot.state.users[r.name] == nil else { throw AuthError.userAlreadyExist }
            let hash = r.options.noPassword ? nil : try await newPasswordHash(r.password, preHashed: r.hashedPassword)
            try store.update { try $0.addUser(r.name, passwordHash: hash) }
            return Etcdserverpb_AuthUserAddResponse()
        }
    }

    public func userGet(request: ServerRequest<Etcdserverpb_AuthUserGetRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthUserGetResponse> {
        try await serve(request, rpc, admin: false) { caller, store in
            let name = request.message.name
            // etcd lets a user read their own entry without the root role.
            do {
                try gate.checkAdmin(caller)
            } catch {
                guard name == caller.user ?? "" else { throw error }
            }
            guard let user = store.snapshot.state.users[name] else { throw AuthError.userNotFound }
            var out = Etcdserverpb_AuthUserGetResponse()
            out.roles = user.roles
            return out
        }
    }

    public func userList(request: ServerRequest<Etcdserverpb_AuthUserListRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthUserListResponse> {
        try await serve(request, rpc) { _, store in
            var out = Etcdserverpb_AuthUserListResponse()
            out.users = store.snapshot.state.userNames
            return out
        }
    }

    public func userDelete(request: ServerRequest<Etcdserverpb_AuthUserDeleteRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthUserDeleteResponse> {
        try await serve(request, rpc) { _, store in
            let name = request.message.name
            try store.update { try $0.deleteUser(name) }
            gate.tokens.invalidate(user: name)
            return Etcdserverpb_AuthUserDeleteResponse()
        }
    }

    public func userChangePassword(request: ServerRequest<Etcdserverpb_AuthUserChangePasswordRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthUserChangePasswordResponse> {
        try await serve(request, rpc) { _, store in
            let r = request.message
            guard let user = store.snapshot.state.users[r.name] else { throw AuthError.userNotFound }
            // A --no-password user keeps having none, so there is nothing to hash.
            let hash = user.noPassword ? "" : try await newPasswordHash(r.password, preHashed: r.hashedPassword)
            try store.update { try $0.changePassword(r.name, passwordHash: hash) }
            gate.tokens.invalidate(user: r.name)
            return Etcdserverpb_AuthUserChangePasswordResponse()
        }
    }

    public func userGrantRole(request: ServerRequest<Etcdserverpb_AuthUserGrantRoleRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthUserGrantRoleResponse> {
        try await serve(request, rpc) { _, store in
            try store.update { try $0.grantRole(request.message.role, to: request.message.user) }
            return Etcdserverpb_AuthUserGrantRoleResponse()
        }
    }

    public func userRevokeRole(request: ServerRequest<Etcdserverpb_AuthUserRevokeRoleRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthUserRevokeRoleResponse> {
        try await serve(request, rpc) { _, store in
            try store.update { try $0.revokeRole(request.message.role, from: request.message.name) }
            return Etcdserverpb_AuthUserRevokeRoleResponse()
        }
    }

    // MARK: Roles

    public func roleAdd(request: ServerRequest<Etcdserverpb_AuthRoleAddRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthRoleAddResponse> {
        try await serve(request, rpc) { _, store in
            try store.update { try $0.addRole(request.message.name) }
            return Etcdserverpb_AuthRoleAddResponse()
        }
    }

    public func roleGet(request: ServerRequest<Etcdserverpb_AuthRoleGetRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthRoleGetResponse> {
        try await serve(request, rpc, admin: false) { caller, store in
            let name = request.message.role
            let state = store.snapshot.state
            // etcd lets a user read the roles they hold without the root role.
            do {
                try gate.checkAdmin(caller)
            } catch {
                guard state.users[caller.user ?? ""]?.roles.contains(name) == true else { throw error }
            }
            guard let role = state.roles[name] else { throw AuthError.roleNotFound }
            var out = Etcdserverpb_AuthRoleGetResponse()
            out.perm = role.permissions.map(Authpb_Permission.init)
            return out
        }
    }

    public func roleList(request: ServerRequest<Etcdserverpb_AuthRoleListRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthRoleListResponse> {
        try await serve(request, rpc) { _, store in
            var out = Etcdserverpb_AuthRoleListResponse()
            out.roles = store.snapshot.state.roleNames
            return out
        }
    }

    public func roleDelete(request: ServerRequest<Etcdserverpb_AuthRoleDeleteRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthRoleDeleteResponse> {
        try await serve(request, rpc) { _, store in
            try store.update { try $0.deleteRole(request.message.role) }
            return Etcdserverpb_AuthRoleDeleteResponse()
        }
    }

    public func roleGrantPermission(request: ServerRequest<Etcdserverpb_AuthRoleGrantPermissionRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthRoleGrantPermissionResponse> {
        try await serve(request, rpc) { _, store in
            let r = request.message
            guard r.hasPerm else { throw AuthError.permissionNotGiven }
            let permission = try AuthPermission(wire: r.perm)
            try store.update { try $0.grantPermission(permission, to: r.name) }
            return Etcdserverpb_AuthRoleGrantPermissionResponse()
        }
    }

    public func roleRevokePermission(request: ServerRequest<Etcdserverpb_AuthRoleRevokePermissionRequest>, context rpc: ServerContext) async throws -> ServerResponse<Etcdserverpb_AuthRoleRevokePermissionResponse> {
        try await serve(request, rpc) { _, store in
            let r = request.message
            try store.update { try $0.revokePermission(key: r.key, rangeEnd: r.rangeEnd, from: r.role) }
            return Etcdserverpb_AuthRoleRevokePermissionResponse()
        }
    }

    // MARK: Plumbing

    /// Resolves the caller, requires the root role unless `admin` is false, runs `body`, and
    /// fills the header as etcd does (current key-space revision).
    private func serve<Input, Output: AuthResponseMessage>(
        _ request: ServerRequest<Input>, _ rpc: ServerContext, admin: Bool = true, resolveCaller: Bool = true,
        _ body: (AuthCaller, AuthStore) async throws -> Output
    ) async throws -> ServerResponse<Output> {
        try await mappingErrors {
            let store = try gate.available()
            var caller = AuthCaller(user: nil)
            if resolveCaller {
                caller = try gate.caller(metadata: request.metadata, remotePeer: rpc.remotePeer)
                if admin { try gate.checkAdmin(caller) }
            }
            var out = try await body(caller, store)
            out.header = context.header(revision: context.store.currentRevision)
            return ServerResponse(message: out)
        }
    }

    /// Hashes a new password off the cooperative pool. etcd 3.5 also accepts a bcrypt hash made
    /// by the client; Ketch cannot check bcrypt hashes, so it refuses those rather than store a
    /// password nobody could log in with.
    private func newPasswordHash(_ password: String, preHashed: String) async throws -> String {
        guard preHashed.isEmpty || !password.isEmpty else {
            throw RPCError(code: .invalidArgument,
                           message: "ketch: pre-hashed (bcrypt) passwords are not supported; send the password")
        }
        return try await PasswordHash.offPool { try PasswordHash.make(password) }
    }
}

/// The responses of the Auth service, which all carry a header.
protocol AuthResponseMessage: Sendable {
    var header: Etcdserverpb_ResponseHeader { get set }
}

extension Etcdserverpb_AuthEnableResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthDisableResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthStatusResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthenticateResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthUserAddResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthUserGetResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthUserListResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthUserDeleteResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthUserChangePasswordResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthUserGrantRoleResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthUserRevokeRoleResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthRoleAddResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthRoleGetResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthRoleListResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthRoleDeleteResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthRoleGrantPermissionResponse: AuthResponseMessage {}
extension Etcdserverpb_AuthRoleRevokePermissionResponse: AuthResponseMessage {}
