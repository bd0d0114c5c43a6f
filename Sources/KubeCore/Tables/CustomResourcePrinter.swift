import Foundation

/// Tables of custom resources: Name, then the CRD version's `additionalPrinterColumns`, cells
/// converted as apiextensions-apiserver's tableconvertor does (`cellForJSONValue`).
enum CustomResourcePrinter {
    /// The printer for one CRD version.
    static func printer(_ columns: [PrinterColumn]) -> TablePrinter {
        let paths = columns.map { TableJSONPath($0.jsonPath) }
        return TablePrinter(
            columns: [.name] + columns.map { c in
                TableColumn(c.name, c.type, format: c.format, priority: c.priority,
                            description: c.description.isEmpty ? "Custom resource definition column (in JSONPath format): \(c.jsonPath)" : c.description)
            },
            cells: { o, now in
                [.string(TableFormat.name(o))] + zip(columns, paths).map { c, p in
                    guard let v = p.first(in: o) else { return .null }
                    return cell(type: c.type, value: v, now: now)
                }
            })
    }

    /// `cellForJSONValue`, plus the JSONPath text printing kube uses for `string` columns.
    static func cell(type: String, value: JSONValue, now: Date) -> JSONValue {
        switch (type, value) {
        case (_, .null): return .null
        case ("string", _): return .string(text(value))
        case ("integer", .integer): return value
        case ("integer", .number(let d)): return .integer(Int(d))
        case ("number", .integer(let i)): return .number(Double(i))
        case ("number", .number): return value
        case ("boolean", .bool): return value
        case ("date", .string(let s)):
            guard let d = KubeTime.parse(s) else { return .string("<invalid>") }
            return .string(HumanDuration.format(now.timeIntervalSince(d)))
        default: return .null
        }
    }

    /// How kubectl's JSONPath prints a value: strings bare, numbers in Go's `%v`, objects and
    /// arrays as compact JSON (Go would print its map syntax; JSON is the readable choice).
    static func text(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .number(let d): return d == d.rounded() && abs(d) < 1e21 ? String(Int(d)) : String(d)
        case .bool(let b): return String(b)
        case .null: return ""
        case .array, .object: return (try? String(decoding: v.encoded(), as: UTF8.self)) ?? ""
        }
    }
}
