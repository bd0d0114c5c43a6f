/// Errors of etcd's auth store, one per error etcd's API maps them to.
///
/// `description` is etcd's server-side text (`auth: …`); the gRPC status etcd answers with
/// (`etcdserver: …` and its code) is chosen in EtcdAPI.
public enum AuthError: Error, Sendable, Equatable {
    case rootUserNotExist
    case rootRoleNotExist
    case userAlreadyExist
    case userEmpty
    case userNotFound
    case roleAlreadyExist
    case roleNotFound
    case roleEmpty
    case permissionNotGiven
    case authFailed
    /// A password was given for a user created with `--no-password`.
    case noPasswordUser
    case permissionDenied
    case roleNotGranted
    case permissionNotGranted
    case authNotEnabled
    case invalidAuthToken
    /// Deleting root, its role, or revoking root's root role while auth is on.
    case invalidAuthManagement
    /// The auth tables cannot be read or written; the message says why.
    case storageFailure(String)
}

extension AuthError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .rootUserNotExist: return "auth: root user does not exist"
        case .rootRoleNotExist: return "auth: root user does not have root role"
        case .userAlreadyExist: return "auth: user already exists"
        case .userEmpty: return "auth: user name is empty"
        case .userNotFound: return "auth: user not found"
        case .roleAlreadyExist: return "auth: role already exists"
        case .roleNotFound: return "auth: role not found"
        case .roleEmpty: return "auth: role name is empty"
        case .permissionNotGiven: return "auth: permission not given"
        case .authFailed: return "auth: authentication failed, invalid user ID or password"
        case .noPasswordUser: return "auth: authentication failed, password was given for no password user"
        case .permissionDenied: return "auth: permission denied"
        case .roleNotGranted: return "auth: role is not granted to the user"
        case .permissionNotGranted: return "auth: permission is not granted to the role"
        case .authNotEnabled: return "auth: authentication is not enabled"
        case .invalidAuthToken: return "auth: invalid auth token"
        case .invalidAuthManagement: return "auth: invalid auth management"
        case .storageFailure(let message): return "auth: \(message)"
        }
    }
}
