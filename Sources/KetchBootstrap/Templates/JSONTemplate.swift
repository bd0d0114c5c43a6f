import KubeCore
/// Renders a JSON template with the same placeholder rules as YAML templates.
enum JSONTemplate {
    /// Replaces the placeholders in every string of `value`; `name` identifies the template in errors.
    static func render(_ value: JSONValue, name: String, values: TemplateValues) throws -> JSONValue {
        let expander = PlaceholderExpander(values: values, template: name)
        guard let rendered = try render(value, expander) else {
            throw BootstrapError.templateInvalid(path: name, reason: "the whole document is absent")
        }
        return rendered
    }

    private static func render(_ value: JSONValue, _ expander: PlaceholderExpander) throws -> JSONValue? {
        switch value {
        case .string(let s):
            switch try expander.expand(s) {
            case .unchanged: return value
            case .value(.absent): return nil
            case .value(.string(let t)): return .string(t)
            case .value(.integer(let n)): return .integer(n)
            case .value(.strings(let list)): return .array(list.map(JSONValue.string))
            }
        case .array(let items):
            return .array(try items.compactMap { try render($0, expander) })
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, member) in members {
                if let v = try render(member, expander) { out[key] = v }
            }
            return .object(out)
        case .null, .bool, .integer, .number:
            return value
        }
    }
}
