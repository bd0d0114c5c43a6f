/// The subset of kubectl JSONPath that CRD `additionalPrinterColumns` use: `.a.b`, `['a.b']`,
/// `[0]`, `[*]`, and filters `[?(@.type=="Ready")]` with `==`/`!=` (optionally wrapped in `{}`).
///
/// apiextensions-apiserver takes the first result only, so evaluation returns the first match.
struct TableJSONPath: Sendable {
    /// One step of the path.
    enum Step: Sendable {
        case member(String)
        case index(Int)
        case wildcard
        case filter(path: [String], op: String, value: JSONValue)
    }

    /// The parsed steps; nil when the expression is outside the supported subset.
    let steps: [Step]?

    /// Parses an expression such as `.spec.replicas` or `{.status.conditions[?(@.type=='Ready')].status}`.
    init(_ expression: String) {
        var s = Substring(expression.trimmingCharacters(in: .whitespaces))
        if s.hasPrefix("{") && s.hasSuffix("}") { s = s.dropFirst().dropLast() }
        if s.hasPrefix("$") { s = s.dropFirst() }
        var steps: [Step] = []
        var ok = true
        while !s.isEmpty && ok {
            if s.hasPrefix(".") {
                s = s.dropFirst()
                let name = s.prefix { $0 != "." && $0 != "[" }
                if !name.isEmpty { steps.append(name == "*" ? .wildcard : .member(String(name))) }
                s = s.dropFirst(name.count)
            } else if s.hasPrefix("[") {
                guard let close = Self.closingBracket(s) else { ok = false; break }
                let inner = s[s.index(after: s.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                s = s[s.index(after: close)...]
                if inner == "*" { steps.append(.wildcard) }
                else if let i = Int(inner) { steps.append(.index(i)) }
                else if (inner.hasPrefix("'") && inner.hasSuffix("'")) || (inner.hasPrefix("\"") && inner.hasSuffix("\"")), inner.count >= 2 {
                    steps.append(.member(String(inner.dropFirst().dropLast())))
                } else if let f = Self.parseFilter(inner) { steps.append(f) }
                else { ok = false }
            } else {
                ok = false
            }
        }
        self.steps = ok ? steps : nil
    }

    /// The matching `]`, skipping brackets inside quotes.
    private static func closingBracket(_ s: Substring) -> Substring.Index? {
        var quote: Character?
        var i = s.index(after: s.startIndex)
        while i < s.endIndex {
            let c = s[i]
            if let q = quote { if c == q { quote = nil } }
            else if c == "'" || c == "\"" { quote = c }
            else if c == "]" { return i }
            i = s.index(after: i)
        }
        return nil
    }

    /// `?(@.a.b == "x")`.
    private static func parseFilter(_ inner: String) -> Step? {
        guard inner.hasPrefix("?(") && inner.hasSuffix(")") else { return nil }
        let body = inner.dropFirst(2).dropLast()
        for op in ["==", "!="] {
            guard let r = body.range(of: op) else { continue }
            let lhs = body[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
            let rhs = body[r.upperBound...].trimmingCharacters(in: .whitespaces)
            guard lhs.hasPrefix("@") else { return nil }
            let path = lhs.dropFirst().split(separator: ".").map(String.init)
            let value: JSONValue
            if (rhs.hasPrefix("'") && rhs.hasSuffix("'")) || (rhs.hasPrefix("\"") && rhs.hasSuffix("\"")), rhs.count >= 2 {
                value = .string(String(rhs.dropFirst().dropLast()))
            } else if let i = Int(rhs) { value = .integer(i) }
            else if rhs == "true" || rhs == "false" { value = .bool(rhs == "true") }
            else { value = .string(rhs) }
            return .filter(path: path, op: op, value: value)
        }
        return nil
    }

    /// The first value the path selects in `root`, or nil.
    func first(in root: JSONValue) -> JSONValue? {
        guard let steps else { return nil }
        var current: [JSONValue] = [root]
        for step in steps {
            var next: [JSONValue] = []
            for v in current {
                switch step {
                case .member(let name): if let m = v[name] { next.append(m) }
                case .index(let i):
                    if let a = v.array {
                        let j = i < 0 ? a.count + i : i
                        if j >= 0 && j < a.count { next.append(a[j]) }
                    }
                case .wildcard:
                    if let a = v.array { next += a } else if let o = v.object { next += o.keys.sorted().compactMap { o[$0] } }
                case .filter(let path, let op, let value):
                    for item in v.array ?? [] {
                        var field: JSONValue? = item
                        for p in path { field = field?[p] }
                        let equal = field.map { Self.looselyEqual($0, value) } ?? false
                        if (op == "==") == equal && field != nil { next.append(item) }
                    }
                }
            }
            current = next
        }
        return current.first
    }

    /// Equality that lets `1` match `1.0` and compares strings exactly.
    private static func looselyEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.integer(x), .number(y)), let (.number(y), .integer(x)): return Double(x) == y
        default: return a == b
        }
    }
}

import Foundation
