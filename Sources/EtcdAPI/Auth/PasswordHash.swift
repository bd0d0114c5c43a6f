import _CryptoExtras
import Crypto
import Dispatch
import Foundation

/// Password hashing for auth users: PBKDF2-HMAC-SHA256 with a random salt per user.
///
/// 600,000 rounds is OWASP's figure for PBKDF2-SHA256 at the strength of bcrypt cost 10 (etcd's
/// default). Hashes are self-describing (`pbkdf2-sha256$ROUNDS$SALT$KEY`, base64), so the
/// parameters can be raised later without invalidating stored passwords.
enum PasswordHash {
    static let defaultRounds = 600_000
    private static let scheme = "pbkdf2-sha256"
    private static let saltBytes = 16
    private static let keyBytes = 32

    /// A new hash of `password` with a fresh salt.
    static func make(_ password: String, rounds: Int = defaultRounds) throws -> String {
        var salt = [UInt8](repeating: 0, count: saltBytes)
        var generator = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = generator.next() }
        let key = try derive(password, salt: salt, rounds: rounds)
        return [scheme, String(rounds), Data(salt).base64EncodedString(), key.base64EncodedString()]
            .joined(separator: "$")
    }

    /// Whether `password` matches `encoded`; false for anything malformed.
    static func verify(_ password: String, against encoded: String) -> Bool {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == scheme,
              let rounds = Int(parts[1]), rounds > 0,
              let salt = Data(base64Encoded: String(parts[2])),
              let expected = Data(base64Encoded: String(parts[3])),
              let key = try? derive(password, salt: salt, rounds: rounds)
        else { return false }
        return constantTimeEqual(key, expected)
    }

    private static func derive(_ password: String, salt: some DataProtocol, rounds: Int) throws -> Data {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: keyBytes,
            unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Data($0) }
    }

    private static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    /// Runs slow hashing off Swift's cooperative pool, which has one thread per core and serves
    /// every RPC; a hash takes a sizeable fraction of a second.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
