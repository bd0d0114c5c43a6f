import Foundation

/// An RFC 6901 JSON Pointer such as `/metadata/labels/app.kubernetes.io~1name`: the path a
/// JSON Patch operation names.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The reference tokens, unescaped; empty for the whole document.
    public let tokens: [String]

    /// The pointer as written, kept for error messages.
    public let description: String

    /// Parses `text`. The empty string is the whole document; anything else must start with
    /// `/`. `~1` becomes `/` and then `~0` becomes `~` (in that order, so `~01` is `~1`).
    /// Unknown escapes such as `~2` are left as they are, as json-patch in kube-apiserver does.
    public init(_ text: String) throws(PatchError) {
        description = text
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw PatchError("JSON pointer must be empty or start with '/': \(text)")
        }
        tokens = text.dropFirst()
            .split(separator: "/", omittingEmptySubsequences: false)
            .map { Self.unescape(String($0)) }
    }

    /// Undoes the two escapes RFC 6901 defines.
    static func unescape(_ token: String) -> String {
        guard token.contains("~") else { return token }
        return token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }

    /// Escapes one token for use in a pointer.
    public static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// Whether this pointer is `other` or lies inside it.
    func isWithin(_ other: JSONPointer) -> Bool {
        tokens.count >= other.tokens.count && Array(tokens.prefix(other.tokens.count)) == other.tokens
    }
}

extension JSONPointer {
    /// A pointer made of already unescaped `tokens`.
    init(unchecked tokens: [String]) {
        self.tokens = tokens
        description = tokens.map { "/" + Self.escape($0) }.joined()
    }
}
