import Foundation
import Testing
@testable import KetchStore

/// etcd 3.5's auth-store rules: errors, their order, and when the auth revision moves
/// (revisions below are what etcd 3.5.1's `auth status` prints for the same steps).
@Suite("Auth state")
struct AuthStateTests {
    @Test("a fresh state is off at revision 1")
    func fresh() {
        let s = AuthState()
        #expect(!s.isEnabled && s.revision == 1 && s.users.isEmpty && s.roles.isEmpty)
    }

    @Test("enabling needs root with the root role; etcdctl's sequence gives revision 4")
    func enable() throws {
        var s = AuthState()
        #expect(throws: AuthError.rootUserNotExist) { try s.enable() }
        try s.addUser("root", passwordHash: "h")
        #expect(s.revision == 2)
        #expect(throws: AuthError.rootRoleNotExist) { try s.enable() }
        try s.addRole("root")
        try s.grantRole("root", to: "root")
        try s.enable()
        #expect(s.isEnabled && s.revision == 4)
        try s.enable()
        #expect(s.revision == 4)
    }

    @Test("root may hold the root role without the role existing")
    func implicitRootRole() throws {
        var s = AuthState()
        try s.addUser("root", passwordHash: "h")
        try s.grantRole("root", to: "root")
        try s.enable()
        #expect(s.roleNames.isEmpty)
    }

    @Test("disabling bumps the revision once; a second disable is a no-op")
    func disable() throws {
        var s = try Self.enabled()
        let before = s.revision
        let first = s.disable()
        let second = s.disable()
        #expect(first && !second)
        #expect(!s.isEnabled && s.revision == before + 1)
    }

    @Test("user errors in etcd's order")
    func userErrors() throws {
        var s = try Self.enabled()
        #expect(throws: AuthError.userEmpty) { try s.addUser("", passwordHash: "h") }
        #expect(throws: AuthError.userAlreadyExist) { try s.addUser("root", passwordHash: "h") }
        #expect(throws: AuthError.userNotFound) { try s.deleteUser("nobody") }
        #expect(throws: AuthError.userNotFound) { try s.grantRole("r", to: "nobody") }
        try s.addUser("alice", passwordHash: "h")
        #expect(throws: AuthError.roleNotFound) { try s.grantRole("nope", to: "alice") }
        #expect(throws: AuthError.roleNotGranted) { try s.revokeRole("nope", from: "alice") }
        #expect(throws: AuthError.invalidAuthManagement) { try s.deleteUser("root") }
        #expect(throws: AuthError.invalidAuthManagement) { try s.revokeRole("root", from: "root") }
        #expect(throws: AuthError.invalidAuthManagement) { try s.deleteRole("root") }
        _ = s.disable()
        try s.revokeRole("root", from: "root")
        try s.deleteUser("root")
    }

    @Test("granting a held role changes nothing; roles stay sorted by bytes")
    func grantRole() throws {
        var s = AuthState()
        try s.addUser("u", passwordHash: "h")
        for r in ["b", "a", "C"] { try s.addRole(r) }
        try s.grantRole("b", to: "u")
        try s.grantRole("a", to: "u")
        try s.grantRole("C", to: "u")
        let revision = s.revision
        try s.grantRole("a", to: "u")
        #expect(s.revision == revision)
        #expect(s.users["u"]?.roles == ["C", "a", "b"])
    }

    @Test("role errors; deleting a role takes it from its users")
    func roles() throws {
        var s = AuthState()
        #expect(throws: AuthError.roleEmpty) { try s.addRole("") }
        try s.addRole("r")
        #expect(throws: AuthError.roleAlreadyExist) { try s.addRole("r") }
        #expect(throws: AuthError.roleNotFound) { try s.deleteRole("x") }
        try s.addUser("u", passwordHash: "h")
        try s.grantRole("r", to: "u")
        try s.deleteRole("r")
        #expect(s.users["u"]?.roles == [])
    }

    @Test("permissions: sorted by key, same key in grant order, same range updated in place")
    func permissionOrder() throws {
        var s = AuthState()
        try s.addRole("r")
        func grant(_ kind: AuthPermission.Kind, _ key: String, _ end: String = "") throws {
            try s.grantPermission(AuthPermission(kind: kind, key: Data(key.utf8), rangeEnd: Data(end.utf8)), to: "r")
        }
        try grant(.read, "b", "c")
        try grant(.read, "a")
        try grant(.read, "b", "a")
        try grant(.write, "z", "\0")
        try grant(.readWrite, "a")
        let perms = s.roles["r"]!.permissions.map { (String(decoding: $0.key, as: UTF8.self), String(decoding: $0.rangeEnd, as: UTF8.self), $0.kind) }
        #expect(perms.map(\.0) == ["a", "b", "b", "z"])
        #expect(perms.map(\.1) == ["", "c", "a", "\0"])
        #expect(perms[0].2 == .readWrite)
        #expect(s.revision == 7)
        #expect(throws: AuthError.permissionNotGranted) { try s.revokePermission(key: Data("q".utf8), rangeEnd: Data(), from: "r") }
        #expect(throws: AuthError.roleNotFound) { try s.grantPermission(AuthPermission(kind: .read, key: Data("a".utf8), rangeEnd: Data()), to: "x") }
        try s.revokePermission(key: Data("b".utf8), rangeEnd: Data("c".utf8), from: "r")
        #expect(s.roles["r"]!.permissions.count == 3)
    }

    @Test("a no-password user stays without one when its password is changed")
    func noPassword() throws {
        var s = AuthState()
        try s.addUser("cn", passwordHash: nil)
        try s.changePassword("cn", passwordHash: "h")
        #expect(s.users["cn"]?.noPassword == true && s.users["cn"]?.passwordHash == nil)
        #expect(throws: AuthError.userNotFound) { try s.changePassword("x", passwordHash: "h") }
    }

    static func enabled() throws -> AuthState {
        var s = AuthState()
        try s.addUser("root", passwordHash: "h")
        try s.addRole("root")
        try s.grantRole("root", to: "root")
        try s.enable()
        return s
    }
}
