extension StrictSchema {
    /// The members of a server-side apply configuration this schema does not declare, as
    /// structured-merge-diff's typed conversion reports them (`.spec.foo: field not declared
    /// in schema`): list items named by their map keys (`[name="nginx"]`) or index, and only
    /// the first undeclared member of each object, since it stops at the first.
    public func undeclaredForApply(_ value: JSONValue) -> [String] {
        var found: [String] = []
        visit(value, node: root, path: "", into: &found)
        return found
    }

    private func visit(_ value: JSONValue, node: Int, path: String, into found: inout [String]) {
        switch (value, self.node(node)) {
        case (.object(let members), .object(let declared, let preservesUnknown)):
            for key in members.keys.sorted() {
                guard let child = declared[key] else {
                    if preservesUnknown { continue }
                    found.append("\(path).\(key): field not declared in schema")
                    return
                }
                visit(members[key]!, node: child, path: "\(path).\(key)", into: &found)
            }
        case (.object(let members), .map(let values)):
            for key in members.keys.sorted() {
                visit(members[key]!, node: values, path: "\(path).\(key)", into: &found)
            }
        case (.array(let items), .list(let item, let keys)):
            for (index, element) in items.enumerated() {
                visit(element, node: item, path: path + Self.listElement(element, index: index, keys: keys), into: &found)
            }
        default:
            break
        }
    }

    /// How structured-merge-diff names a list item: by its key fields' JSON values, else its index.
    private static func listElement(_ item: JSONValue, index: Int, keys: [String]) -> String {
        guard !keys.isEmpty, case .object(let members) = item else { return "[\(index)]" }
        let named = keys.sorted().compactMap { key -> String? in
            guard let value = members[key], let bytes = try? value.encodedBytes() else { return nil }
            return "\(key)=\(String(decoding: bytes, as: UTF8.self))"
        }
        return named.isEmpty ? "[\(index)]" : "[" + named.joined(separator: ",") + "]"
    }
}
