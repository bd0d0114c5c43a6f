import GRPCCore
import KetchStore

/// Maps store errors to the gRPC status etcd returns for them. etcd's Go client recognises
/// errors by their message, so codes and texts are etcd's exactly.
extension StoreError {
    public var rpcError: RPCError {
        let code: RPCError.Code
        switch self {
        case .emptyKey, .keyNotFound, .valueProvided, .leaseProvided, .tooManyOperations, .duplicateKey,
             .invalidSortOption, .requestTooLarge:
            code = .invalidArgument
        case .compacted, .futureRevision:
            code = .outOfRange
        case .leaseNotFound:
            code = .notFound
        case .leaseExists:
            code = .failedPrecondition
        case .leaseTTLTooLarge:
            code = .outOfRange
        case .storageFailure, .unusableDataDirectory:
            code = .internalError
        case .closed:
            code = .unavailable
        }
        return RPCError(code: code, message: description)
    }
}

/// Runs a handler body, turning store errors into etcd's gRPC errors.
@inlinable
func mappingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as StoreError {
        throw error.rpcError
    }
}
