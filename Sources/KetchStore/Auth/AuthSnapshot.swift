import Foundation

/// One published version of the auth state with each user's merged key permissions, so a
/// permission check is a lookup plus an interval scan (etcd's `rangePermCache`).
public struct AuthSnapshot: Sendable {
    public let state: AuthState
    private let permissions: [String: KeyPermissions]

    public init(_ state: AuthState) {
        self.state = state
        var permissions: [String: KeyPermissions] = [:]
        for (name, user) in state.users where !user.isRoot {
            permissions[name] = KeyPermissions(roles: user.roles.map { state.roles[$0] })
        }
        self.permissions = permissions
    }

    /// etcd's `isOpPermitted`: may `user` have `access` to `[key, rangeEnd)`? An empty user name is
    /// a request without credentials; an unknown user is denied; the root role may do anything.
    public func check(_ access: KeyAccess, user: String, key: Data, rangeEnd: Data) throws {
        guard state.isEnabled else { return }
        guard !user.isEmpty else { throw AuthError.userEmpty }
        guard let account = state.users[user] else { throw AuthError.permissionDenied }
        if account.isRoot { return }
        guard permissions[user]?.allows(access, key: key, rangeEnd: rangeEnd) == true else {
            throw AuthError.permissionDenied
        }
    }

    /// etcd's `IsAdminPermitted`: only holders of the root role manage auth and the cluster.
    public func checkAdmin(user: String) throws {
        guard state.isEnabled else { return }
        guard !user.isEmpty else { throw AuthError.userEmpty }
        guard let account = state.users[user] else { throw AuthError.userNotFound }
        guard account.isRoot else { throw AuthError.permissionDenied }
    }
}
