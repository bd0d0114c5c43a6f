import GRPCCore
import KetchStore

/// The gRPC status etcd answers each auth error with. etcd's Go client recognises errors by
/// their message, so codes and texts are etcd's (`api/v3rpc/rpctypes/error.go`) exactly.
extension AuthError {
    public var rpcError: RPCError {
        let code: RPCError.Code
        let message: String
        switch self {
        case .rootUserNotExist: (code, message) = (.failedPrecondition, "etcdserver: root user does not exist")
        case .rootRoleNotExist: (code, message) = (.failedPrecondition, "etcdserver: root user does not have root role")
        case .userAlreadyExist: (code, message) = (.failedPrecondition, "etcdserver: user name already exists")
        case .userEmpty: (code, message) = (.invalidArgument, "etcdserver: user name is empty")
        case .userNotFound: (code, message) = (.failedPrecondition, "etcdserver: user name not found")
        case .roleAlreadyExist: (code, message) = (.failedPrecondition, "etcdserver: role name already exists")
        case .roleNotFound: (code, message) = (.failedPrecondition, "etcdserver: role name not found")
        case .roleEmpty: (code, message) = (.invalidArgument, "etcdserver: role name is empty")
        case .permissionNotGiven: (code, message) = (.invalidArgument, "etcdserver: permission not given")
        case .authFailed: (code, message) = (.invalidArgument, "etcdserver: authentication failed, invalid user ID or password")
        case .permissionDenied: (code, message) = (.permissionDenied, "etcdserver: permission denied")
        case .roleNotGranted: (code, message) = (.failedPrecondition, "etcdserver: role is not granted to the user")
        case .permissionNotGranted: (code, message) = (.failedPrecondition, "etcdserver: permission is not granted to the role")
        case .authNotEnabled: (code, message) = (.failedPrecondition, "etcdserver: authentication is not enabled")
        case .invalidAuthToken: (code, message) = (.unauthenticated, "etcdserver: invalid auth token")
        case .invalidAuthManagement: (code, message) = (.invalidArgument, "etcdserver: invalid auth management")
        case .noPasswordUser:
            // etcd has no gRPC error for this one, so its server answers Unknown with the raw text.
            return unmappedRPCError
        case .storageFailure(let reason):
            (code, message) = (.internalError, "ketch: \(reason)")
        }
        return RPCError(code: code, message: message)
    }

    /// The status etcd 3.5 gives auth errors it does not translate: code Unknown and the
    /// `auth: …` text. Its Maintenance service answers admin checks this way (e.g.
    /// `auth: permission denied` for Defragment, Hash, HashKV, Snapshot, MoveLeader).
    public var unmappedRPCError: RPCError {
        RPCError(code: .unknown, message: description)
    }
}

/// Thrown from a handler, an auth error ends the RPC with etcd's status for it.
extension AuthError: RPCErrorConvertible {
    public var rpcErrorCode: RPCError.Code { rpcError.code }
    public var rpcErrorMessage: String { rpcError.message }
}
