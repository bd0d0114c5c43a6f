import Foundation

/// apimachinery's string and number checks (`util/validation`'s `Is*` functions), each
/// returning every reason the value fails, in Go's order and words.
enum ValueFormats {
    static let dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123SubdomainFmt = dns1123LabelFmt + "(\\." + dns1123LabelFmt + ")*"
    static let qualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"

    static func matches(_ value: String, _ pattern: String) -> Bool {
        NameValidation.matches(value, pattern)
    }

    /// `RegexError`: the message, its examples, and the pattern.
    static func regexError(_ message: String, _ format: String, _ examples: String...) -> String {
        if examples.isEmpty { return message + " (regex used for validation is '" + format + "')" }
        var text = message + " (e.g. "
        for (i, example) in examples.enumerated() {
            if i > 0 { text += " or " }
            text += "'" + example + "', "
        }
        return text + "regex used for validation is '" + format + "')"
    }

    static func maxLenError(_ length: Int) -> String {
        NameValidation.maxLenError(length)
    }

    /// `InclusiveRangeError`.
    static func inclusiveRange(_ lo: Int, _ hi: Int) -> String { "must be between \(lo) and \(hi), inclusive" }

    /// `IsDNS1123Label`.
    static func dns1123Label(_ value: String) -> [String] {
        NameValidation.dns1123LabelErrors(value)
    }

    /// `IsDNS1123Subdomain` (and `NameIsDNSSubdomain` without a prefix).
    static func dns1123Subdomain(_ value: String) -> [String] {
        NameValidation.dns1123SubdomainErrors(value)
    }

    /// `NameIsDNSSubdomain(name, prefix: true)`: a generateName-style prefix may end in '-'.
    static func dns1123SubdomainPrefix(_ value: String) -> [String] {
        var masked = value
        if masked.hasSuffix("-") { masked = String(masked.dropLast()) + "a" }
        return dns1123Subdomain(masked)
    }

    /// `IsDNS1123SubdomainWithUnderscore`.
    static func dns1123SubdomainWithUnderscore(_ value: String) -> [String] {
        let label = "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?"
        let format = label + "(\\." + label + ")*"
        var errs: [String] = []
        if value.utf8.count > 253 { errs.append(maxLenError(253)) }
        if !matches(value, format) {
            errs.append(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character", format, "example.com"))
        }
        return errs
    }

    /// `IsQualifiedName`: an optional DNS subdomain prefix and '/', then a name part.
    static func qualifiedName(_ value: String) -> [String] {
        NameValidation.qualifiedNameErrors(value)
    }

    /// `IsValidLabelValue`.
    static func labelValue(_ value: String) -> [String] {
        NameValidation.labelValueErrors(value)
    }

    /// `IsValidPortNum`.
    static func portNumber(_ port: Int) -> [String] {
        NameValidation.portNumberErrors(port)
    }

    /// `IsValidPortName` (an IANA_SVC_NAME).
    static func portName(_ port: String) -> [String] {
        NameValidation.portNameErrors(port)
    }

    /// `IsValidUserID` / `IsValidGroupID`: 0 through 2^32-1.
    static func unixID(_ id: Int) -> [String] {
        (0...0xffff_ffff).contains(id) ? [] : [inclusiveRange(0, 0xffff_ffff)]
    }

    /// `IsRelaxedEnvVarName`: the RelaxedEnvironmentVariableValidation rule, on by default
    /// since 1.32 (beta), so what 1.33 applies.
    static func relaxedEnvVarName(_ value: String) -> [String] {
        var errs: [String] = []
        if value.isEmpty { errs.append("environment variable name must be non-empty") }
        if value.unicodeScalars.contains(where: { $0.value > 0x7e || $0.value < 0x20 || $0 == "=" }) {
            errs.append("a valid environment variable name must consist only of printable ASCII characters other than '='")
        }
        return errs
    }

    /// `IsConfigMapKey`.
    static func configMapKey(_ value: String) -> [String] {
        NameValidation.configMapKeyErrors(value)
    }

    /// `hasChDirPrefix`.
    static func chDirPrefix(_ value: String) -> [String] {
        if value == "." { return ["must not be '.'"] }
        if value == ".." { return ["must not be '..'"] }
        if value.hasPrefix("..") { return ["must not start with '..'"] }
        return []
    }

    /// `IsHTTPHeaderName`.
    static func httpHeaderName(_ value: String) -> [String] {
        matches(value, "[-A-Za-z0-9]+") ? [] : [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", "[-A-Za-z0-9]+", "X-Header-Name")]
    }

    /// Whether `value` parses as an IP address (`netutils.ParseIPSloppy`, which also takes
    /// IPv4 octets with leading zeros).
    static func isIP(_ value: String) -> Bool {
        let octets = value.split(separator: ".", omittingEmptySubsequences: false)
        if octets.count == 4, octets.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) && Int($0)! <= 255 }) {
            return true
        }
        guard value.contains(":") else { return false }
        var address = in6_addr()
        return inet_pton(AF_INET6, value, &address) == 1
    }

    /// `validation.IsValidIP`'s message.
    static let invalidIPMessage = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
}
