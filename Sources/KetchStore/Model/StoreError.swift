/// Errors of the store, one per etcd error the API maps them to.
public enum StoreError: Error, Sendable, Equatable {
    /// `etcdserver: key is not provided`
    case emptyKey
    /// `etcdserver: key not found` (ignore_value / ignore_lease on a missing key, empty txn op)
    case keyNotFound
    /// `etcdserver: value is provided`
    case valueProvided
    /// `etcdserver: lease is provided`
    case leaseProvided
    /// `etcdserver: too many operations in txn request`
    case tooManyOperations
    /// `etcdserver: duplicate key given in txn request`
    case duplicateKey
    /// `etcdserver: invalid sort option`
    case invalidSortOption
    /// `etcdserver: mvcc: required revision has been compacted`
    case compacted
    /// `etcdserver: mvcc: required revision is a future revision`
    case futureRevision
    /// `etcdserver: requested lease not found`
    case leaseNotFound
    /// `etcdserver: request is too large`
    case requestTooLarge
    /// `etcdserver: lease already exists`
    case leaseExists
    /// `etcdserver: too large lease TTL`
    case leaseTTLTooLarge
    /// The data directory cannot be used; the message says why and what to do.
    case unusableDataDirectory(String)
    /// The durable log failed; the store stops accepting writes rather than diverge from disk.
    case storageFailure(String)
    /// The store was closed.
    case closed
}

extension StoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .emptyKey: return "etcdserver: key is not provided"
        case .keyNotFound: return "etcdserver: key not found"
        case .valueProvided: return "etcdserver: value is provided"
        case .leaseProvided: return "etcdserver: lease is provided"
        case .tooManyOperations: return "etcdserver: too many operations in txn request"
        case .duplicateKey: return "etcdserver: duplicate key given in txn request"
        case .invalidSortOption: return "etcdserver: invalid sort option"
        case .compacted: return "etcdserver: mvcc: required revision has been compacted"
        case .futureRevision: return "etcdserver: mvcc: required revision is a future revision"
        case .leaseNotFound: return "etcdserver: requested lease not found"
        case .requestTooLarge: return "etcdserver: request is too large"
        case .leaseExists: return "etcdserver: lease already exists"
        case .leaseTTLTooLarge: return "etcdserver: too large lease TTL"
        case .unusableDataDirectory(let why): return why
        case .storageFailure(let why): return "ketch: storage failure: \(why)"
        case .closed: return "ketch: store is closed"
        }
    }
}
