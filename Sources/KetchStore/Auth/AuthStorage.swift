/// Where the auth state is kept. `save` must be durable and atomic before it returns.
public protocol AuthStorage: AnyObject, Sendable {
    /// The stored state, or a fresh one (revision 1, auth off) when nothing is stored yet.
    func load() throws -> AuthState
    /// Persists the change from `old` to `new` in one transaction.
    func save(from old: AuthState, to new: AuthState) throws
}

/// Keeps the auth state in memory only: for stores whose engine has no place for it.
public final class InMemoryAuthStorage: AuthStorage {
    public init() {}
    public func load() throws -> AuthState { AuthState() }
    public func save(from _: AuthState, to _: AuthState) throws {}
}
