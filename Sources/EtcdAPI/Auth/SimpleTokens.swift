import Synchronization

/// etcd's "simple" tokens: 16 random letters, a dot and an index, mapped to a user in memory.
///
/// A token lives `ttl` past its last use (each use renews it, as etcd's TTL keeper does), and
/// is dropped when its user is deleted or changes password, and all are dropped when auth is
/// turned off. Nothing survives a restart: clients then get `invalid auth token` and
/// authenticate again, as with etcd.
final class SimpleTokens: Sendable {
    private struct Entry {
        var user: String
        var expires: ContinuousClock.Instant
    }

    private struct Table {
        var entries: [String: Entry] = [:]
        var index: UInt64 = 0
        var nextSweep: ContinuousClock.Instant
    }

    private static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    let ttl: Duration
    private let table: Mutex<Table>

    init(ttl: Duration) {
        self.ttl = ttl
        table = Mutex(Table(nextSweep: .now + ttl))
    }

    /// A new token for `user`, or nil if `stillValid` (checked under the table's lock) is false.
    ///
    /// Invalidations take the same lock after the change they follow is published, so a token
    /// issued against a password that is being replaced is either refused here or dropped then.
    func assign(to user: String, if stillValid: () -> Bool = { true }) -> String? {
        var generator = SystemRandomNumberGenerator()
        let prefix = String((0..<16).map { _ in Self.letters.randomElement(using: &generator)! })
        let now = ContinuousClock.now
        return table.withLock { table in
            guard stillValid() else { return nil }
            sweep(&table, now: now)
            table.index += 1
            let token = "\(prefix).\(table.index)"
            table.entries[token] = Entry(user: user, expires: now + ttl)
            return token
        }
    }

    /// The user of a live token, renewing it; nil for an unknown or expired token.
    func user(of token: String) -> String? {
        let now = ContinuousClock.now
        return table.withLock { table in
            guard let entry = table.entries[token] else { return nil }
            guard entry.expires > now else {
                table.entries[token] = nil
                return nil
            }
            table.entries[token]?.expires = now + ttl
            return entry.user
        }
    }

    /// Drops every token of `user`.
    func invalidate(user: String) {
        table.withLock { table in
            table.entries = table.entries.filter { $0.value.user != user }
        }
    }

    /// Drops every token.
    func invalidateAll() {
        table.withLock { $0.entries.removeAll() }
    }

    /// Forgets expired tokens, at most once per TTL, so tokens nobody presents again do not pile up.
    private func sweep(_ table: inout Table, now: ContinuousClock.Instant) {
        guard now >= table.nextSweep else { return }
        table.entries = table.entries.filter { $0.value.expires > now }
        table.nextSweep = now + ttl
    }
}
