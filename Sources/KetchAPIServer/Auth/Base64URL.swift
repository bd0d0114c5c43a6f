import Foundation

/// Unpadded base64url (RFC 4648 §5), the encoding of JWT segments and JWK numbers.
enum Base64URL {
    /// Encodes without `=` padding, as Go's `base64.RawURLEncoding`.
    static func encode(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes unpadded base64url; nil for anything else (padding, `+`, `/`, whitespace), so a
    /// token has exactly one spelling.
    static func decode(_ text: some StringProtocol) -> Data? {
        guard text.utf8.allSatisfy({ $0.isBase64URLCharacter }) else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        switch standard.utf8.count % 4 {
        case 0: break
        case 2: standard += "=="
        case 3: standard += "="
        default: return nil
        }
        return Data(base64Encoded: standard)
    }
}

private extension UInt8 {
    var isBase64URLCharacter: Bool {
        switch self {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}
