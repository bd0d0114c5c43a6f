import Foundation

/// apimachinery's string format checks (`util/validation`, `api/validation/path`) with the
/// messages kube-apiserver reports: each check returns every problem Go's `Is…` function
/// returns, in its order, so one bad value can give several causes.
public enum NameValidation {
    // MARK: messages (`util/validation`'s RegexError, MaxLenError, EmptyError)

    static func regexError(_ message: String, _ format: String, _ examples: String...) -> String {
        guard !examples.isEmpty else { return "\(message) (regex used for validation is '\(format)')" }
        let shown = examples.map { "'\($0)'" }.joined(separator: ",  or ")
        return "\(message) (e.g. \(shown), regex used for validation is '\(format)')"
    }

    static func maxLenError(_ length: Int) -> String { "must be no more than \(length) characters" }
    private static let emptyError = "must be non-empty"

    private static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    private static let dns1123SubdomainFormat = dns1123LabelFormat + "(\\." + dns1123LabelFormat + ")*"
    private static let dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?"
    private static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    private static let labelValueFormat = "(" + qualifiedNameFormat + ")?"
    private static let configMapKeyFormat = "[-._a-zA-Z0-9]+"
    private static let qualifiedNameMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

    static func matches(_ value: String, _ format: String) -> Bool {
        value.range(of: "\\A(?:\(format))\\z", options: .regularExpression) != nil
    }

    // MARK: formats

    /// `IsDNS1123Label`: at most 63 characters, lower-case alphanumerics and `-`.
    public static func dns1123LabelErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 { errors.append(maxLenError(63)) }
        if !matches(value, dns1123LabelFormat) {
            // A valid subdomain that is no label can only have failed on its dots.
            if matches(value, dns1123SubdomainFormat) {
                errors.append("must not contain dots")
            } else {
                errors.append(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", dns1123LabelFormat, "my-name", "123-abc"))
            }
        }
        return errors
    }

    /// `IsDNS1123Subdomain`: at most 253 characters of dot-separated labels.
    public static func dns1123SubdomainErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 253 { errors.append(maxLenError(253)) }
        if !matches(value, dns1123SubdomainFormat) {
            errors.append(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", dns1123SubdomainFormat, "example.com"))
        }
        return errors
    }

    /// `IsDNS1035Label`: a DNS-1123 label that starts with a letter (Service names).
    public static func dns1035LabelErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 { errors.append(maxLenError(63)) }
        if !matches(value, dns1035LabelFormat) {
            errors.append(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", dns1035LabelFormat, "my-name", "abc-123"))
        }
        return errors
    }

    /// `IsWildcardDNS1123Subdomain`: `*.` and a DNS subdomain (Ingress hosts).
    public static func wildcardDNS1123SubdomainErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 253 { errors.append(maxLenError(253)) }
        let format = "\\*\\." + dns1123SubdomainFormat
        if !matches(value, format) {
            errors.append(regexError("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character", format, "*.example.com"))
        }
        return errors
    }

    /// `IsValidPortName`: an IANA service name (Service and container port names).
    public static func portNameErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 15 { errors.append(maxLenError(15)) }
        if !matches(value, "[-a-z0-9]+") { errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)") }
        if value.range(of: "[a-z]", options: .regularExpression) == nil { errors.append("must contain at least one letter (a-z)") }
        if value.contains("--") { errors.append("must not contain consecutive hyphens") }
        if value.hasPrefix("-") || value.hasSuffix("-") { errors.append("must not begin or end with a hyphen") }
        return errors
    }

    /// `IsValidPortNum`.
    public static func portNumberErrors(_ value: Int) -> [String] {
        (1...65535).contains(value) ? [] : ["must be between 1 and 65535, inclusive"]
    }

    /// `IsQualifiedName`: an optional DNS subdomain prefix and `/`, then a name part of at
    /// most 63 characters (label keys, annotation keys, finalizers).
    public static func qualifiedNameErrors(_ value: String) -> [String] {
        var errors: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let name: String
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            name = parts[1]
            if parts[0].isEmpty {
                errors.append("prefix part " + emptyError)
            } else {
                errors += dns1123SubdomainErrors(parts[0]).map { "prefix part " + $0 }
            }
        default:
            return ["a qualified name " + regexError(qualifiedNameMessage, qualifiedNameFormat, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errors.append("name part " + emptyError)
        } else if name.utf8.count > 63 {
            errors.append("name part " + maxLenError(63))
        }
        if !matches(name, qualifiedNameFormat) {
            errors.append("name part " + regexError(qualifiedNameMessage, qualifiedNameFormat, "MyName", "my.name", "123-abc"))
        }
        return errors
    }

    /// `IsValidLabelValue`: empty, or at most 63 characters shaped like a qualified name part.
    public static func labelValueErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 { errors.append(maxLenError(63)) }
        if !matches(value, labelValueFormat) {
            errors.append(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", labelValueFormat, "MyValue", "my_value", "12345"))
        }
        return errors
    }

    /// `IsConfigMapKey`: a ConfigMap or Secret key.
    public static func configMapKeyErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 253 { errors.append(maxLenError(253)) }
        if !matches(value, configMapKeyFormat) {
            errors.append(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", configMapKeyFormat, "key.name", "KEY_NAME", "key-name"))
        }
        if value == "." {
            errors.append("must not be '.'")
        } else if value == ".." {
            errors.append("must not be '..'")
        } else if value.hasPrefix("..") {
            errors.append("must not start with '..'")
        }
        return errors
    }

    /// `path.IsValidPathSegmentName`: the names of RBAC objects (anything but `.`, `..` and
    /// names with `/` or `%`).
    public static func pathSegmentNameErrors(_ value: String) -> [String] {
        if value == "." || value == ".." { return ["may not be '\(value)'"] }
        return ["/", "%"].filter { value.contains($0) }.map { "may not contain '\($0)'" }
    }

    // MARK: object names

    /// The rule an object name is checked with (`ValidateNameFunc`).
    public enum NameRule: Sendable {
        /// `NameIsDNSSubdomain`, most kinds.
        case dnsSubdomain
        /// `NameIsDNSLabel`, Namespaces.
        case dnsLabel
        /// `NameIsDNS1035Label`, Services.
        case dns1035Label
        /// `IsValidPathSegmentName`, RBAC roles and bindings.
        case pathSegment
        /// No format check (kinds whose strategy checks the name its own way).
        case unchecked
    }

    /// The rule kube-apiserver checks `type`'s object names with.
    public static func nameRule(for type: ResourceType) -> NameRule {
        switch (type.group, type.kind) {
        case ("rbac.authorization.k8s.io", _): return .pathSegment
        case ("apiextensions.k8s.io", _): return .unchecked
        case ("", "Namespace"): return .dnsLabel
        case ("", "Service"): return .dns1035Label
        default: return .dnsSubdomain
        }
    }

    /// The problems of `name` under `rule`; `prefix` is true for a `generateName`, whose
    /// trailing `-` is allowed (`maskTrailingDash`).
    public static func nameErrors(_ name: String, _ rule: NameRule, prefix: Bool = false) -> [String] {
        var value = name
        if prefix, rule != .pathSegment, value.count > 1, value.hasSuffix("-") {
            value = String(value.dropLast(2)) + "a"
        }
        switch rule {
        case .dnsSubdomain: return dns1123SubdomainErrors(value)
        case .dnsLabel: return dns1123LabelErrors(value)
        case .dns1035Label: return dns1035LabelErrors(value)
        case .pathSegment: return pathSegmentNameErrors(value)
        case .unchecked: return []
        }
    }

    /// Why a name is invalid for the resource (its problems joined), nil when it is fine.
    public static func nameProblem(_ name: String, _ type: ResourceType) -> String? {
        let errors = nameErrors(name, nameRule(for: type))
        return errors.isEmpty ? nil : errors.joined(separator: "; ")
    }

    /// Why `name` is not a DNS-1123 label, nil when it is one.
    public static func dnsLabelProblem(_ name: String) -> String? {
        dns1123LabelErrors(name).first
    }

    /// Why `name` is not a DNS-1123 subdomain, nil when it is one.
    public static func dnsSubdomainProblem(_ name: String) -> String? {
        dns1123SubdomainErrors(name).first
    }

    /// Why `key` is not a qualified name, nil when it is one (the first problem).
    static func qualifiedNameProblem(_ key: String) -> String? {
        qualifiedNameErrors(key).first
    }
}
