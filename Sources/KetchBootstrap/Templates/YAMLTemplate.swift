import Yams

/// Renders a YAML template: placeholders are replaced in the parsed tree, never in the text, so a
/// value can not break the YAML around it, and strings that look like numbers stay strings.
enum YAMLTemplate {
    /// Parses `text` and replaces its placeholders; `name` identifies the template in errors.
    static func render(_ text: String, name: String, values: TemplateValues) throws -> Node {
        let parsed: Node?
        do {
            parsed = try Yams.compose(yaml: text)
        } catch {
            throw BootstrapError.templateInvalid(path: name, reason: "not YAML: \(error)")
        }
        guard let root = parsed else { throw BootstrapError.templateInvalid(path: name, reason: "empty") }
        let expander = PlaceholderExpander(values: values, template: name)
        guard let rendered = try render(root, expander) else {
            throw BootstrapError.templateInvalid(path: name, reason: "the whole document is absent")
        }
        return rendered
    }

    /// YAML text as kubeadm's files look: block style, two-space indents, no line folding.
    static func serialize(_ node: Node) throws -> String {
        try Yams.serialize(node: node, width: -1)
    }

    /// nil when the node is absent and must be dropped by its parent.
    private static func render(_ node: Node, _ expander: PlaceholderExpander) throws -> Node? {
        switch node {
        case .scalar(let scalar):
            switch try expander.expand(scalar.string) {
            case .unchanged: return node
            case .value(let v): return build(v, quoted: scalar.style == .singleQuoted || scalar.style == .doubleQuoted)
            }
        case .mapping(let mapping):
            var pairs: [(Node, Node)] = []
            for (key, value) in mapping {
                if let v = try render(value, expander) { pairs.append((key, v)) }
            }
            return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style))
        case .sequence(let sequence):
            let items = try sequence.compactMap { try render($0, expander) }
            return .sequence(Node.Sequence(items, sequence.tag, sequence.style))
        case .alias:
            return node
        }
    }

    private static func build(_ value: TemplateValue, quoted: Bool) -> Node? {
        switch value {
        case .absent:
            return nil
        case .integer(let n):
            return .scalar(Node.Scalar(String(n)))
        case .string(let s):
            return .scalar(string(s, quoted: quoted))
        case .strings(let list):
            return .sequence(Node.Sequence(list.map { .scalar(string($0, quoted: false)) }))
        }
    }

    /// A string scalar that reads back as a string: quoted when plain text would resolve to
    /// another type (`"true"`, `"0"`, an empty string).
    private static func string(_ s: String, quoted: Bool) -> Node.Scalar {
        if quoted { return Node.Scalar(s, Tag(.str), .doubleQuoted) }
        return s.represented()
    }
}
