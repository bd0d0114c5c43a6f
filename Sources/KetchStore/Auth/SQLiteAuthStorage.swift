import Foundation

/// The auth state in the store's own SQLite database, in tables beside the key space, written
/// through a connection of its own with `synchronous=FULL` so a change is on disk when `save` returns.
///
/// Names are stored as UTF-8 blobs (etcd names are arbitrary byte strings); permissions keep
/// their order in `position`; a user without a password has an empty `password`.
final class SQLiteAuthStorage: AuthStorage, @unchecked Sendable {
    // One connection, used only by `load` and by `save` under `AuthStore`'s write lock.
    private let db: SQLiteConnection
    private let path: String

    private static let schema = """
        CREATE TABLE IF NOT EXISTS auth_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS auth_user (
            name BLOB PRIMARY KEY, password TEXT NOT NULL, no_password INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS auth_user_role (
            user BLOB NOT NULL, role BLOB NOT NULL, PRIMARY KEY (user, role)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS auth_role (name BLOB PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS auth_permission (
            role BLOB NOT NULL, position INTEGER NOT NULL, type INTEGER NOT NULL,
            key BLOB NOT NULL, range_end BLOB NOT NULL, PRIMARY KEY (role, position)) WITHOUT ROWID;
        """

    init(databasePath: String) throws {
        path = databasePath
        do {
            db = try SQLiteConnection(path: databasePath)
            // Per connection: the store's own setting does not carry over to this one.
            try db.execute("PRAGMA synchronous=FULL")
            try db.execute("BEGIN IMMEDIATE;\(Self.schema)COMMIT;")
        } catch let error as SQLiteError {
            throw AuthError.storageFailure("cannot open the auth tables in \(databasePath): \(error)")
        }
    }

    func load() throws -> AuthState {
        do {
            var state = AuthState()
            let meta = try db.statement("SELECT name, value FROM auth_meta")
            while try meta.step() {
                switch meta.string(0) {
                case "enabled": state.isEnabled = meta.int64(1) != 0
                case "revision": state.revision = UInt64(meta.int64(1))
                default: break
                }
            }
            let users = try db.statement("SELECT name, password, no_password FROM auth_user")
            while try users.step() {
                let name = Self.name(users.data(0))
                let password = users.string(1)
                state.users[name] = AuthUser(name: name, passwordHash: password.isEmpty ? nil : password, noPassword: users.int64(2) != 0)
            }
            let grants = try db.statement("SELECT user, role FROM auth_user_role")
            while try grants.step() {
                state.users[Self.name(grants.data(0))]?.roles.append(Self.name(grants.data(1)))
            }
            for name in state.users.keys {
                state.users[name]?.roles.sort(by: byBytes)
            }
            let roles = try db.statement("SELECT name FROM auth_role")
            while try roles.step() {
                let name = Self.name(roles.data(0))
                state.roles[name] = AuthRole(name: name)
            }
            let permissions = try db.statement(
                "SELECT role, type, key, range_end FROM auth_permission ORDER BY role, position")
            while try permissions.step() {
                let kind = AuthPermission.Kind(rawValue: Int(permissions.int64(1))) ?? .read
                state.roles[Self.name(permissions.data(0))]?.permissions.append(
                    AuthPermission(kind: kind, key: permissions.data(2), rangeEnd: permissions.data(3)))
            }
            return state
        } catch let error as SQLiteError {
            throw AuthError.storageFailure("cannot read the auth tables in \(path): \(error)")
        }
    }

    func save(from old: AuthState, to new: AuthState) throws {
        do {
            try db.execute("BEGIN IMMEDIATE")
            do {
                try saveMeta(from: old, to: new)
                try saveUsers(from: old.users, to: new.users)
                try saveRoles(from: old.roles, to: new.roles)
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
        } catch let error as SQLiteError {
            throw AuthError.storageFailure("cannot write the auth tables in \(path): \(error)")
        }
    }

    private func saveMeta(from old: AuthState, to new: AuthState) throws {
        let upsert = try db.statement(
            "INSERT INTO auth_meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")
        for (name, value, changed) in [
            ("enabled", Int64(new.isEnabled ? 1 : 0), old.isEnabled != new.isEnabled),
            ("revision", Int64(new.revision), old.revision != new.revision),
        ] where changed {
            upsert.reset()
            upsert.bind(1, name)
            upsert.bind(2, value)
            try upsert.step()
        }
    }

    private func saveUsers(from old: [String: AuthUser], to new: [String: AuthUser]) throws {
        let deleteUser = try db.statement("DELETE FROM auth_user WHERE name = ?")
        let deleteRoles = try db.statement("DELETE FROM auth_user_role WHERE user = ?")
        let insertUser = try db.statement("INSERT INTO auth_user (name, password, no_password) VALUES (?, ?, ?)")
        let insertRole = try db.statement("INSERT INTO auth_user_role (user, role) VALUES (?, ?)")
        for name in Set(old.keys).union(new.keys) where old[name] != new[name] {
            let key = Data(name.utf8)
            for statement in [deleteUser, deleteRoles] {
                statement.reset()
                statement.bind(1, key)
                try statement.step()
            }
            guard let user = new[name] else { continue }
            insertUser.reset()
            insertUser.bind(1, key)
            insertUser.bind(2, user.passwordHash ?? "")
            insertUser.bind(3, user.noPassword ? 1 : 0)
            try insertUser.step()
            for role in user.roles {
                insertRole.reset()
                insertRole.bind(1, key)
                insertRole.bind(2, Data(role.utf8))
                try insertRole.step()
            }
        }
    }

    private func saveRoles(from old: [String: AuthRole], to new: [String: AuthRole]) throws {
        let deleteRole = try db.statement("DELETE FROM auth_role WHERE name = ?")
        let deletePermissions = try db.statement("DELETE FROM auth_permission WHERE role = ?")
        let insertRole = try db.statement("INSERT INTO auth_role (name) VALUES (?)")
        let insertPermission = try db.statement(
            "INSERT INTO auth_permission (role, position, type, key, range_end) VALUES (?, ?, ?, ?, ?)")
        for name in Set(old.keys).union(new.keys) where old[name] != new[name] {
            let key = Data(name.utf8)
            for statement in [deleteRole, deletePermissions] {
                statement.reset()
                statement.bind(1, key)
                try statement.step()
            }
            guard let role = new[name] else { continue }
            insertRole.reset()
            insertRole.bind(1, key)
            try insertRole.step()
            for (position, permission) in role.permissions.enumerated() {
                insertPermission.reset()
                insertPermission.bind(1, key)
                insertPermission.bind(2, Int64(position))
                insertPermission.bind(3, Int64(permission.kind.rawValue))
                insertPermission.bind(4, permission.key)
                insertPermission.bind(5, permission.rangeEnd)
                try insertPermission.step()
            }
        }
    }

    private static func name(_ bytes: Data) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
