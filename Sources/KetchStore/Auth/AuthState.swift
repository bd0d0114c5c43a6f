import Foundation

/// Everything etcd's auth store keeps: the enabled flag, the auth revision, users and roles.
///
/// Mutations follow etcd 3.5's `authStore` rule for rule, including which errors come first and
/// when the auth revision moves (every change but `enable`, and no-op grants, bumps it). They are
/// pure, so `AuthStore` can apply one to a copy, persist the result, and only then publish it.
public struct AuthState: Sendable, Equatable {
    /// etcd's superuser and superrole name.
    public static let rootName = "root"

    public internal(set) var isEnabled = false
    /// etcd's auth revision: 1 on a fresh store, one more for every change.
    public internal(set) var revision: UInt64 = 1
    public internal(set) var users: [String: AuthUser] = [:]
    public internal(set) var roles: [String: AuthRole] = [:]

    public init() {}

    init(isEnabled: Bool, revision: UInt64, users: [String: AuthUser], roles: [String: AuthRole]) {
        self.isEnabled = isEnabled
        self.revision = revision
        self.users = users
        self.roles = roles
    }

    /// User names in etcd's order (by bytes).
    public var userNames: [String] { users.keys.sorted(by: byBytes) }

    /// Role names in etcd's order (by bytes).
    public var roleNames: [String] { roles.keys.sorted(by: byBytes) }

    private mutating func bump() { revision += 1 }

    // MARK: Enable / disable

    /// Turns auth on; needs a `root` user holding the `root` role. Enabling twice is a no-op.
    public mutating func enable() throws {
        if isEnabled { return }
        guard let root = users[Self.rootName] else { throw AuthError.rootUserNotExist }
        guard root.isRoot else { throw AuthError.rootRoleNotExist }
        // etcd does not bump the revision here.
        isEnabled = true
    }

    /// Turns auth off. Returns false when it was already off (nothing changes then).
    @discardableResult
    public mutating func disable() -> Bool {
        guard isEnabled else { return false }
        isEnabled = false
        bump()
        return true
    }

    // MARK: Users

    /// Adds a user; `passwordHash` is nil exactly for `--no-password` users.
    public mutating func addUser(_ name: String, passwordHash: String?) throws {
        guard !name.isEmpty else { throw AuthError.userEmpty }
        guard users[name] == nil else { throw AuthError.userAlreadyExist }
        users[name] = AuthUser(name: name, passwordHash: passwordHash, noPassword: passwordHash == nil)
        bump()
    }

    public mutating func deleteUser(_ name: String) throws {
        if isEnabled && name == Self.rootName { throw AuthError.invalidAuthManagement }
        guard users.removeValue(forKey: name) != nil else { throw AuthError.userNotFound }
        bump()
    }

    /// Replaces a password; a `--no-password` user stays without one, as in etcd.
    public mutating func changePassword(_ name: String, passwordHash: String) throws {
        guard var user = users[name] else { throw AuthError.userNotFound }
        user.passwordHash = user.noPassword ? nil : passwordHash
        users[name] = user
        bump()
    }

    /// Grants a role; `root` need not exist as a role. Granting a held role changes nothing.
    public mutating func grantRole(_ role: String, to name: String) throws {
        guard var user = users[name] else { throw AuthError.userNotFound }
        if role != Self.rootName && roles[role] == nil { throw AuthError.roleNotFound }
        if user.roles.contains(role) { return }
        user.roles.append(role)
        user.roles.sort(by: byBytes)
        users[name] = user
        bump()
    }

    public mutating func revokeRole(_ role: String, from name: String) throws {
        if isEnabled && name == Self.rootName && role == Self.rootName { throw AuthError.invalidAuthManagement }
        guard var user = users[name] else { throw AuthError.userNotFound }
        let before = user.roles.count
        user.roles.removeAll { $0 == role }
        guard user.roles.count != before else { throw AuthError.roleNotGranted }
        users[name] = user
        bump()
    }

    // MARK: Roles

    public mutating func addRole(_ name: String) throws {
        guard !name.isEmpty else { throw AuthError.roleEmpty }
        guard roles[name] == nil else { throw AuthError.roleAlreadyExist }
        roles[name] = AuthRole(name: name)
        bump()
    }

    /// Deletes a role and takes it from every user holding it.
    public mutating func deleteRole(_ name: String) throws {
        if isEnabled && name == Self.rootName { throw AuthError.invalidAuthManagement }
        guard roles.removeValue(forKey: name) != nil else { throw AuthError.roleNotFound }
        for (userName, var user) in users where user.roles.contains(name) {
            user.roles.removeAll { $0 == name }
            users[userName] = user
        }
        bump()
    }

    /// Grants a permission, or changes the type of the same `[key, rangeEnd)` already granted.
    ///
    /// Like etcd, only the first permission with an equal key is considered the same one, and a
    /// new permission goes after those with keys not greater than its own.
    public mutating func grantPermission(_ permission: AuthPermission, to name: String) throws {
        guard var role = roles[name] else { throw AuthError.roleNotFound }
        let first = role.permissions.firstIndex { compareBytes($0.key, permission.key) >= 0 }
        if let i = first, role.permissions[i].key == permission.key, role.permissions[i].rangeEnd == permission.rangeEnd {
            role.permissions[i].kind = permission.kind
        } else {
            let after = role.permissions.firstIndex { compareBytes($0.key, permission.key) > 0 } ?? role.permissions.endIndex
            role.permissions.insert(permission, at: after)
        }
        roles[name] = role
        bump()
    }

    /// Revokes every permission on exactly `[key, rangeEnd)`.
    public mutating func revokePermission(key: Data, rangeEnd: Data, from name: String) throws {
        guard var role = roles[name] else { throw AuthError.roleNotFound }
        let before = role.permissions.count
        role.permissions.removeAll { $0.key == key && $0.rangeEnd == rangeEnd }
        guard role.permissions.count != before else { throw AuthError.permissionNotGranted }
        roles[name] = role
        bump()
    }
}
