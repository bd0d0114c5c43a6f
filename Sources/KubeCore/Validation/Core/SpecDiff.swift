/// A readable stand-in for the `cmp.Diff` kube appends to its "immutable after creation"
/// messages. Go's `cmp` output is deliberately unstable (it randomises spacing), so clients
/// can only rely on the first line; this shows the members that changed, `-` old, `+` new.
enum SpecDiff {
    /// The diff of two objects of Go type `type`, one line per changed member.
    static func render(type: String, old: JSONValue, new: JSONValue) -> String {
        let before = old.object ?? [:]
        let after = new.object ?? [:]
        var lines = ["  \(type){"]
        var same = 0
        for key in Set(before.keys).union(after.keys).sorted() {
            if before[key] == after[key] { same += 1; continue }
            let field = key.prefix(1).uppercased() + key.dropFirst()
            if let value = before[key] { lines.append("- \t\(field): \(text(value)),") }
            if let value = after[key] { lines.append("+ \t\(field): \(text(value)),") }
        }
        if same > 0 { lines.append("  \t... // \(same) identical \(same == 1 ? "field" : "fields")") }
        lines.append("  }")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func text(_ value: JSONValue) -> String {
        (try? value.encodedBytes()).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
