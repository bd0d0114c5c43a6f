import Foundation
import Testing
@testable import KetchStore

/// Key-range permission checks as etcd's interval tree answers them.
@Suite("Auth key permissions")
struct AuthPermissionTests {
    static func perm(_ kind: AuthPermission.Kind, _ key: String, _ end: String = "") -> AuthPermission {
        AuthPermission(kind: kind, key: Data(key.utf8), rangeEnd: Data(end.utf8))
    }

    static func permissions(_ perms: AuthPermission...) -> KeyPermissions {
        KeyPermissions(roles: [AuthRole(name: "r", permissions: perms)])
    }

    static func allows(_ p: KeyPermissions, _ access: KeyAccess, _ key: String, _ end: String = "") -> Bool {
        p.allows(access, key: Data(key.utf8), rangeEnd: Data(end.utf8))
    }

    @Test("a single-key permission covers that key only")
    func singleKey() {
        let p = Self.permissions(Self.perm(.read, "a"))
        #expect(Self.allows(p, .read, "a"))
        #expect(!Self.allows(p, .read, "a0"))
        #expect(!Self.allows(p, .write, "a"))
        // A range request for exactly [a, a\0) is covered; [a, b) is not.
        #expect(Self.allows(p, .read, "a", "a\0"))
        #expect(!Self.allows(p, .read, "a", "b"))
    }

    @Test("prefix permissions cover sub-ranges and keys inside, not the wider prefix")
    func prefix() {
        let p = Self.permissions(Self.perm(.readWrite, "p/", "p0"))
        #expect(Self.allows(p, .read, "p/x") && Self.allows(p, .write, "p/x"))
        #expect(Self.allows(p, .read, "p/", "p0"))
        #expect(Self.allows(p, .read, "p/a", "p/b"))
        #expect(!Self.allows(p, .read, "p", "q"))
        #expect(!Self.allows(p, .read, "p/", "\0"))
    }

    @Test("from-key permissions are open-ended")
    func fromKey() {
        let p = Self.permissions(Self.perm(.write, "z", "\0"))
        #expect(Self.allows(p, .write, "z") && Self.allows(p, .write, "zzzz"))
        #expect(Self.allows(p, .write, "z1", "\0"))
        #expect(!Self.allows(p, .write, "y"))
        #expect(!Self.allows(p, .read, "z"))
    }

    @Test("the empty key with an open end (etcdctl's '' --prefix) covers everything")
    func everything() {
        let p = Self.permissions(Self.perm(.read, "\0", "\0"))
        #expect(Self.allows(p, .read, "\0", "\0"))
        #expect(Self.allows(p, .read, "any"))
    }

    @Test("adjacent and overlapping grants merge; a gap denies")
    func coverage() {
        let p = Self.permissions(Self.perm(.read, "a", "c"), Self.perm(.read, "c", "e"), Self.perm(.read, "d", "g"), Self.perm(.read, "h", "k"))
        #expect(Self.allows(p, .read, "a", "g"))
        #expect(Self.allows(p, .read, "b", "f"))
        #expect(!Self.allows(p, .read, "a", "i"))
        #expect(Self.allows(p, .read, "h", "k"))
    }

    @Test("several roles add up; missing roles grant nothing")
    func roles() {
        let p = KeyPermissions(roles: [AuthRole(name: "a", permissions: [Self.perm(.read, "x")]), nil,
                                       AuthRole(name: "b", permissions: [Self.perm(.write, "x")])])
        #expect(Self.allows(p, .read, "x") && Self.allows(p, .write, "x"))
    }

    @Test("snapshot checks: off allows all; empty user, unknown user, root, limited user")
    func snapshot() throws {
        var s = AuthState()
        try s.addUser("root", passwordHash: "h")
        try s.grantRole("root", to: "root")
        try s.addUser("alice", passwordHash: "h")
        try s.addRole("r")
        try s.grantPermission(Self.perm(.read, "a"), to: "r")
        try s.grantRole("r", to: "alice")
        let key = Data("a".utf8)
        try AuthSnapshot(s).check(.write, user: "", key: key, rangeEnd: Data())
        try s.enable()
        let snap = AuthSnapshot(s)
        #expect(throws: AuthError.userEmpty) { try snap.check(.read, user: "", key: key, rangeEnd: Data()) }
        #expect(throws: AuthError.permissionDenied) { try snap.check(.read, user: "bob", key: key, rangeEnd: Data()) }
        try snap.check(.write, user: "root", key: key, rangeEnd: Data([0]))
        try snap.check(.read, user: "alice", key: key, rangeEnd: Data())
        #expect(throws: AuthError.permissionDenied) { try snap.check(.write, user: "alice", key: key, rangeEnd: Data()) }
        try snap.checkAdmin(user: "root")
        #expect(throws: AuthError.permissionDenied) { try snap.checkAdmin(user: "alice") }
        #expect(throws: AuthError.userNotFound) { try snap.checkAdmin(user: "bob") }
        #expect(throws: AuthError.userEmpty) { try snap.checkAdmin(user: "") }
    }
}
