/// Comparing two pod specs as `apiequality.Semantic.DeepEqual` does, and describing how they
/// differ for the "pod updates may not change fields" error.
///
/// kube appends go-cmp's `cmp.Diff` of the internal `core.PodSpec` structs. That text is not
/// reproducible (go-cmp randomly swaps spaces for non-breaking ones so nobody depends on it),
/// so this prints the changed top-level fields in a similar `-`/`+` layout instead.
enum PodSpecDiff {
    /// Whether the specs are equal once unset fields (null, empty lists and maps) are dropped
    /// and quantities are compared by value.
    static func semanticallyEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        normalized(a) == normalized(b)
    }

    /// `value` with null members and empty lists and objects removed, and the quantities of
    /// resource lists in canonical form.
    static func normalized(_ value: JSONValue, quantities: Bool = false) -> JSONValue {
        switch value {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, member) in members {
                let quantityList = ["limits", "requests", "overhead"].contains(key)
                let normal = normalized(member, quantities: quantityList)
                if isEmpty(normal) { continue }
                if quantities, let quantity = Quantity(json: normal) {
                    out[key] = .string(quantity.description)
                } else {
                    out[key] = normal
                }
            }
            return .object(out)
        case .array(let items):
            return .array(items.map { normalized($0) })
        default:
            return value
        }
    }

    private static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return true
        case .array(let items): return items.isEmpty
        case .object(let members): return members.isEmpty
        default: return false
        }
    }

    /// The changed top-level fields of the spec, old (`-`) then new (`+`).
    static func render(old: JSONValue, new: JSONValue) -> String {
        let a = normalized(old).object ?? [:], b = normalized(new).object ?? [:]
        var lines = ["  core.PodSpec{"]
        for key in Set(a.keys).union(b.keys).sorted() where a[key] != b[key] {
            if let value = a[key] { lines.append("- \t\(key): \(text(value)),") }
            if let value = b[key] { lines.append("+ \t\(key): \(text(value)),") }
        }
        lines.append("  }")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func text(_ value: JSONValue) -> String {
        (try? value.encodedBytes()).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
