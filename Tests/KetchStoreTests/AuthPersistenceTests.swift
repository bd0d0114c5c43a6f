import Foundation
import Testing
@testable import KetchStore

/// The auth state lives in the store's database and survives a restart.
@Suite("Auth persistence")
struct AuthPersistenceTests {
    @Test("users, roles, permissions, the enabled flag and the revision survive reopening")
    func reopen() throws {
        let fixture = try StoreFixture()
        var auth: AuthStore? = try fixture.store.openAuthStore()
        #expect(auth?.snapshot.state == AuthState())
        try auth!.update { s in
            try s.addUser("root", passwordHash: "pbkdf2$x")
            try s.grantRole("root", to: "root")
            try s.addUser("cn-only", passwordHash: nil)
            try s.addUser("名前", passwordHash: "h")
            try s.addRole("r")
            try s.grantPermission(AuthPermission(kind: .readWrite, key: Data("b".utf8), rangeEnd: Data("c".utf8)), to: "r")
            try s.grantPermission(AuthPermission(kind: .read, key: Data([0xff, 0]), rangeEnd: Data([0])), to: "r")
            try s.grantPermission(AuthPermission(kind: .write, key: Data("b".utf8), rangeEnd: Data()), to: "r")
            try s.grantRole("r", to: "名前")
            try s.enable()
        }
        try auth!.update { s in
            try s.addRole("gone")
            try s.deleteRole("gone")
            try s.addUser("tmp", passwordHash: "h")
            try s.deleteUser("tmp")
        }
        let expected = auth!.snapshot.state
        auth = nil
        try fixture.reopen()
        let reopened = try fixture.store.openAuthStore()
        #expect(reopened.snapshot.state == expected)
        #expect(reopened.isEnabled)
        #expect(reopened.snapshot.state.roles["r"]?.permissions.map(\.kind) == [.readWrite, .write, .read])
    }

    @Test("a failed change leaves memory and disk as they were")
    func failedChange() throws {
        let fixture = try StoreFixture()
        let auth = try fixture.store.openAuthStore()
        try auth.update { try $0.addUser("a", passwordHash: "h") }
        #expect(throws: AuthError.userAlreadyExist) {
            try auth.update { s in
                try s.addRole("half")
                try s.addUser("a", passwordHash: "h")
            }
        }
        #expect(auth.snapshot.state.roles.isEmpty && auth.snapshot.state.revision == 2)
        try fixture.reopen()
        #expect(try fixture.store.openAuthStore().snapshot.state.roles.isEmpty)
    }

    @Test("the key space is untouched by auth tables and keeps working")
    func keySpace() async throws {
        let fixture = try StoreFixture()
        let auth = try fixture.store.openAuthStore()
        try await fixture.store.put("k", "v")
        try auth.update { try $0.addRole("r") }
        try await fixture.store.put("k", "w")
        try fixture.reopen()
        #expect(try fixture.store.value("k") == "w")
        #expect(fixture.store.currentRevision == 3)
    }
}
