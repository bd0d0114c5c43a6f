/// The syntax rules for label keys and values (apimachinery's IsQualifiedName and
/// IsValidLabelValue), with their messages. Hand-written character checks rather than
/// regular expressions: selectors are parsed on every list and watch.
enum LabelValidation {
    /// The regular expression the messages quote for a name part.
    private static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"

    /// Problems with `key` as a label key: an optional DNS subdomain prefix and `/`, then a
    /// name of at most 63 characters. Empty when valid.
    static func keyErrors(_ key: String) -> [String] {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        var errors: [String] = []
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += subdomainErrors(prefix).map { "prefix part " + $0 }
            }
        default:
            return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '\(qualifiedNameFormat)') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            errors.append("name part must be no more than 63 characters")
        }
        if !name.isEmpty && !isNamePart(name) {
            errors.append("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '\(qualifiedNameFormat)')")
        }
        return errors
    }

    /// Problems with `value` as a label value: empty, or a name part of at most 63
    /// characters. Empty when valid.
    static func valueErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 {
            errors.append("must be no more than 63 characters")
        }
        if !value.isEmpty && !isNamePart(value[...]) {
            errors.append("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(\(qualifiedNameFormat))?')")
        }
        return errors
    }

    /// Problems with a DNS-1123 subdomain (a label key's prefix).
    private static func subdomainErrors(_ text: Substring) -> [String] {
        var errors: [String] = []
        if text.utf8.count > 253 {
            errors.append("must be no more than 253 characters")
        }
        let labelsValid = text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.utf8.first, let last = label.utf8.last else { return false }
            return isLowerAlnum(first) && isLowerAlnum(last) && label.utf8.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
        }
        if !labelsValid {
            errors.append("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
        }
        return errors
    }

    /// Whether `text` matches `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
    private static func isNamePart(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last,
              isAlnum(first), isAlnum(last) else { return false }
        return text.utf8.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    /// ASCII letter or digit.
    private static func isAlnum(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }

    /// ASCII lower-case letter or digit.
    private static func isLowerAlnum(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }
}
