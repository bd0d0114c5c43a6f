import Foundation
import Testing
@testable import EtcdAPI

@Suite("Auth password hashing")
struct AuthPasswordHashTests {
    @Test("PBKDF2-SHA256 at 600k rounds with a fresh salt per hash; only the right password verifies")
    func roundTrip() throws {
        let clock = ContinuousClock()
        var first = ""
        let elapsed = try clock.measure { first = try PasswordHash.make("s3cret") }
        let second = try PasswordHash.make("s3cret")
        #expect(first.hasPrefix("pbkdf2-sha256$600000$"))
        #expect(first != second)
        #expect(PasswordHash.verify("s3cret", against: first))
        #expect(PasswordHash.verify("s3cret", against: second))
        #expect(!PasswordHash.verify("s3cret ", against: first))
        #expect(!PasswordHash.verify("", against: first))
        // bcrypt cost 10 takes tens of milliseconds; a hash must not be much cheaper.
        #expect(elapsed > .milliseconds(30))
    }

    @Test("malformed or foreign hashes never verify")
    func malformed() {
        for bad in ["", "x", "pbkdf2-sha256$0$AA==$AA==", "pbkdf2-sha256$10$!!$AA==", "$2a$10$abcdefghijklmnopqrstuv",
                    "scrypt$1$AA==$AA=="] {
            #expect(!PasswordHash.verify("", against: bad))
        }
    }
}
