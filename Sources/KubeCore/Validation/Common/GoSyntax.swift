/// Go's `%#v` renderings of the API values `field.Error` prints when a bad value is a map, a
/// slice or a struct (apimachinery falls back to `%#v` for values without a `String()`).
enum GoSyntax {
    /// A `map[string]string` such as template labels: `map[string]string{"app":"web"}`, keys
    /// sorted as fmt sorts them; `map[string]string(nil)` when absent.
    static func stringMap(_ json: JSONValue?) -> String {
        guard let map = json?.object else { return "map[string]string(nil)" }
        let entries = map.sorted { $0.key < $1.key }.map { "\(goQuoted($0.key)):\(goQuoted($0.value.string ?? ""))" }
        return "map[string]string{" + entries.joined(separator: ", ") + "}"
    }

    /// A `[]string`: `[]string{"a", "b"}`, or `[]string(nil)` when absent.
    static func stringSlice(_ json: JSONValue?) -> String {
        guard let items = json?.array else { return "[]string(nil)" }
        return "[]string{" + items.map { goQuoted($0.string ?? "") }.joined(separator: ", ") + "}"
    }

    /// A `metav1.LabelSelector` as `%#v` prints it (a pointer is printed as what it points to).
    static func labelSelector(_ json: JSONValue?) -> String {
        let expressions: String
        if let items = json?["matchExpressions"]?.array {
            expressions = "[]v1.LabelSelectorRequirement{" + items.map(labelSelectorRequirement).joined(separator: ", ") + "}"
        } else {
            expressions = "[]v1.LabelSelectorRequirement(nil)"
        }
        return "v1.LabelSelector{MatchLabels:\(stringMap(json?["matchLabels"])), MatchExpressions:\(expressions)}"
    }

    private static func labelSelectorRequirement(_ json: JSONValue) -> String {
        let key = goQuoted(json["key"]?.string ?? "")
        let op = goQuoted(json["operator"]?.string ?? "")
        return "v1.LabelSelectorRequirement{Key:\(key), Operator:\(op), Values:\(stringSlice(json["values"]))}"
    }

    /// An `intstr.IntOrString`: its `String()` (the number, or the text unquoted), which
    /// `field.Error` prefers because `*IntOrString` is a Stringer.
    static func intOrString(_ json: JSONValue?) -> String {
        switch json {
        case .integer(let value)?: return String(value)
        case .string(let text)?: return text
        case .number(let value)?: return String(Int(value))
        default: return "0"
        }
    }

    /// A nil struct pointer member inside a `%#v` struct rendering, e.g.
    /// `(*apps.RollingUpdateDeployment)(nil)`; a set pointer prints as an address, which no
    /// client can match, so it is shown as Go would show a pointer without its address.
    static func pointer(_ type: String, _ json: JSONValue?) -> String {
        json == nil || json?.isNull == true ? "(*\(type))(nil)" : "(*\(type))(0xc000000000)"
    }
}
