import Foundation
import KubeCore

/// A JWS in compact serialization (`header.payload.signature`), split and decoded but not yet
/// trusted: the signature is checked by `JWTPublicKey.verify` over `signingInput`.
struct CompactJWT: Sendable {
    /// The decoded header object (`alg`, `kid`, …).
    var header: JSONValue
    /// The decoded claims object.
    var claims: JSONValue
    /// The bytes the signature covers: the first two segments as sent.
    var signingInput: Data
    /// The raw signature bytes.
    var signature: Data

    /// Splits and decodes a token; nil when it is not three base64url segments of which the
    /// first two are JSON objects.
    init?(_ token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let headerData = Base64URL.decode(parts[0]), let claimsData = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]),
              let header = try? JSONValue(parsing: headerData), header.object != nil,
              let claims = try? JSONValue(parsing: claimsData), claims.object != nil
        else { return nil }
        self.header = header
        self.claims = claims
        self.signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        self.signature = signature
    }

    /// Signs `claims` into a compact token; `kid` goes into the header when given.
    static func sign(claims: JSONValue, with key: JWTSigningKey, keyID: String?) throws -> String {
        var header: [String: JSONValue] = ["alg": .string(key.publicKey.algorithm)]
        if let keyID { header["kid"] = .string(keyID) }
        let input = try Base64URL.encode(JSONValue.object(header).encoded()) + "." + Base64URL.encode(claims.encoded())
        return input + "." + Base64URL.encode(try key.sign(Data(input.utf8)))
    }
}

extension JSONValue {
    /// A JWT NumericDate: seconds since the epoch, integral or not.
    var numericDate: Date? {
        switch self {
        case .integer(let seconds): Date(timeIntervalSince1970: TimeInterval(seconds))
        case .number(let seconds): Date(timeIntervalSince1970: seconds)
        default: nil
        }
    }
}
