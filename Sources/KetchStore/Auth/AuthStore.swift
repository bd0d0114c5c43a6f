import Synchronization

/// etcd's auth store: the durable auth state and the snapshot permission checks read.
///
/// Readers take the current snapshot under a short lock, and the hot path of a server with
/// auth off reads one atomic flag. Changes are serialised: each is applied to a copy, made
/// durable, and only then published, so nothing is visible before it is on disk.
public final class AuthStore: Sendable {
    private let storage: any AuthStorage
    private let current: Mutex<AuthSnapshot>
    private let enabled: Atomic<Bool>
    /// Held across persistence so changes are applied one at a time, in order.
    private let writeLock = Mutex<Void>(())

    /// Loads the state from `storage` (a fresh one starts at auth revision 1, auth off).
    public init(storage: any AuthStorage) throws {
        let state = try storage.load()
        self.storage = storage
        current = Mutex(AuthSnapshot(state))
        enabled = Atomic(state.isEnabled)
    }

    /// Whether auth is on; a single atomic load.
    public var isEnabled: Bool { enabled.load(ordering: .acquiring) }

    /// The current state and permissions.
    public var snapshot: AuthSnapshot { current.withLock { $0 } }

    /// Applies `change` to the current state; if it succeeds and changes anything, persists and
    /// publishes the result. Returns the state before and after.
    @discardableResult
    public func update(_ change: (inout AuthState) throws -> Void) throws -> (old: AuthState, new: AuthState) {
        try writeLock.withLock { _ in
            let old = current.withLock { $0.state }
            var new = old
            try change(&new)
            if new != old {
                try storage.save(from: old, to: new)
                let snapshot = AuthSnapshot(new)
                current.withLock { $0 = snapshot }
                enabled.store(new.isEnabled, ordering: .releasing)
            }
            return (old, new)
        }
    }
}
