/// Where a store keeps its auth state: beside the key space in the same database.
extension MVCCStore {
    /// Opens the auth store for this store's data: tables in the SQLite database (created if
    /// missing), or memory for an engine that has no place for them.
    public func openAuthStore() throws -> AuthStore {
        if let sqlite = storage as? SQLiteStorage {
            return try AuthStore(storage: SQLiteAuthStorage(databasePath: sqlite.databasePath))
        }
        return try AuthStore(storage: InMemoryAuthStorage())
    }
}
