import Foundation

/// One key-range permission of a role, as etcd's `authpb.Permission` holds it.
///
/// `rangeEnd` follows etcd's encoding: empty for the single key `key`, `\0` for every key
/// from `key` on, otherwise the exclusive end of `[key, rangeEnd)`.
public struct AuthPermission: Sendable, Hashable {
    /// `authpb.Permission.Type`, with etcd's numbers.
    public enum Kind: Int, Sendable, Hashable {
        case read = 0
        case write = 1
        case readWrite = 2
    }

    public var kind: Kind
    public var key: Data
    public var rangeEnd: Data

    public init(kind: Kind, key: Data, rangeEnd: Data) {
        self.kind = kind
        self.key = key
        self.rangeEnd = rangeEnd
    }
}

/// A user: a password hash (opaque to the store) or none, and granted role names, sorted.
public struct AuthUser: Sendable, Hashable {
    public var name: String
    /// The encoded password hash; nil for a `--no-password` user (client-certificate login only).
    public var passwordHash: String?
    public var noPassword: Bool
    /// Sorted by bytes, as etcd keeps them (it binary-searches for `root`).
    public var roles: [String]

    public init(name: String, passwordHash: String?, noPassword: Bool, roles: [String] = []) {
        self.name = name
        self.passwordHash = passwordHash
        self.noPassword = noPassword
        self.roles = roles
    }

    /// Holds etcd's `root` role, which grants everything.
    public var isRoot: Bool { roles.contains(AuthState.rootName) }
}

/// A role and its permissions, in etcd's order: by key, same keys in the order granted.
public struct AuthRole: Sendable, Hashable {
    public var name: String
    public var permissions: [AuthPermission]

    public init(name: String, permissions: [AuthPermission] = []) {
        self.name = name
        self.permissions = permissions
    }
}

/// Orders names as etcd lists them: by their bytes (bbolt key order).
func byBytes(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
