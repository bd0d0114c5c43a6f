import Foundation

/// The syntax rules kube-apiserver applies to object names, label keys and values and
/// ConfigMap keys, with the messages its validation reports.
public enum NameValidation {
    /// Resources whose names must be DNS labels (no dots) rather than subdomains.
    private static let labelNamed: Set<String> = ["namespaces", "services"]

    /// Why a name is invalid for the resource, nil when it is fine.
    public static func nameProblem(_ name: String, _ type: ResourceType) -> String? {
        if type.group == "rbac.authorization.k8s.io" {
            // RBAC names are path segments: anything but "/" and "%" and "." / "..".
            if name == "." || name == ".." { return "may not be '\(name)'" }
            if name.contains("/") { return "may not contain '/'" }
            if name.contains("%") { return "may not contain '%'" }
            return nil
        }
        if type.group == "apiextensions.k8s.io" { return nil }
        if labelNamed.contains(type.plural) && type.group.isEmpty {
            return dnsLabelProblem(name)
        }
        return dnsSubdomainProblem(name)
    }

    /// Why `name` is not a DNS-1123 label (at most 63 characters, no dots), nil when it is one.
    public static func dnsLabelProblem(_ name: String) -> String? {
        let ok = name.count <= 63 && name.range(of: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", options: .regularExpression) != nil
        if ok { return nil }
        if name.count > 63 { return "must be no more than 63 characters" }
        return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    }

    /// Why `name` is not a DNS-1123 subdomain, nil when it is one.
    public static func dnsSubdomainProblem(_ name: String) -> String? {
        let ok = name.count <= 253 && name.range(of: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", options: .regularExpression) != nil
        if ok { return nil }
        if name.count > 253 { return "must be no more than 253 characters" }
        return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    }

    /// Why `key` is not a label key (an optional prefix and `/`, then a name part), nil when it is one.
    static func qualifiedNameProblem(_ key: String) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        let name = String(parts.last ?? "")
        if parts.count > 2 { return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')" }
        if name.isEmpty || name.count > 63 || name.range(of: "^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$", options: .regularExpression) == nil {
            return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        }
        return nil
    }

    /// Why `value` is not a label value, nil when it is one.
    static func labelValueProblem(_ value: String) -> String? {
        if value.isEmpty { return nil }
        if value.count <= 63, value.range(of: "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$", options: .regularExpression) != nil { return nil }
        return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    }

    /// Whether `key` may name a ConfigMap or Secret entry.
    static func isConfigMapKey(_ key: String) -> Bool {
        !key.isEmpty && key.count <= 253 && key.range(of: "^[-._a-zA-Z0-9]+$", options: .regularExpression) != nil
    }
}
