/// A Kubernetes field selector, the `fieldSelector` query parameter of list and watch:
/// `field=value`, `field==value` or `field!=value` terms joined by commas, all of which must
/// hold (`metadata.namespace!=default,status.phase=Running`).
///
/// Parsing follows apimachinery's `fields` package: no whitespace trimming, and `\`
/// escapes `\`, `,` and `=` in values. Which fields a resource supports, and where their
/// values come from, is `FieldLabels`' business (kube-apiserver answers 400 `field label not
/// supported: ...`); `requirements` lists the fields used so it can check.
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    /// How a term compares a field.
    public enum Operator: String, Sendable, Hashable {
        /// `field=value`.
        case equals = "="
        /// `field==value`, the same as `=`.
        case doubleEquals = "=="
        /// `field!=value`.
        case notEquals = "!="
    }

    /// One term.
    public struct Requirement: Sendable, Hashable, CustomStringConvertible {
        /// The field, a dotted path such as `spec.nodeName`.
        public let field: String
        /// The comparison.
        public let op: Operator
        /// The value compared against, unescaped.
        public let value: String

        /// A term comparing `field` with `value`.
        public init(field: String, op: Operator, value: String) {
            self.field = field
            self.op = op
            self.value = value
        }

        /// Whether a field whose value is `actual` satisfies the term.
        public func matches(_ actual: String) -> Bool {
            op == .notEquals ? actual != value : actual == value
        }

        /// The term with its value escaped, as apimachinery prints it (`==` prints as `=`).
        public var description: String {
            field + (op == .notEquals ? "!=" : "=") + FieldSelector.escape(value)
        }
    }

    /// The terms, sorted by their text as apimachinery sorts them.
    public let requirements: [Requirement]

    /// The selector with no terms; it matches everything.
    public static let everything = FieldSelector(requirements: [])

    /// A selector of `requirements`.
    public init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// Parses the query syntax; the empty string selects everything and empty terms
    /// (`a=b,,c=d`) are skipped.
    /// - Throws: `SelectorError`, e.g. `invalid selector: 'x'; can't understand 'x'`.
    public init(parsing text: String) throws(SelectorError) {
        var requirements: [Requirement] = []
        // apimachinery sorts the raw terms before parsing them, which fixes the order.
        for term in Self.splitTerms(text).sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        where !term.isEmpty {
            guard let (field, op, rawValue) = Self.splitTerm(term) else {
                throw SelectorError("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            requirements.append(Requirement(field: field, op: op, value: try Self.unescape(rawValue)))
        }
        self.requirements = requirements
    }

    /// Whether `object` is selected, reading each field as a dotted path (`spec.nodeName`).
    /// See `fieldValue(_:in:)` for how values print; a missing field reads as "".
    public func matches(_ object: JSONValue) -> Bool {
        requirements.allSatisfy { $0.matches(Self.fieldValue($0.field, in: object)) }
    }

    /// Whether an object whose field set is `fields` is selected; a missing field reads as "".
    /// For resources whose selectable fields are not plain paths (an Event's `source` is
    /// `source.component`), the caller builds this map itself.
    public func matches(_ fields: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(fields[$0.field] ?? "") }
    }

    /// The value an `=` or `==` term demands of `field`, nil if there is none. Lets a caller
    /// turn `metadata.name=x` into a single get, as kube-apiserver does.
    public func requiresExactMatch(_ field: String) -> String? {
        requirements.first { $0.field == field && $0.op != .notEquals }?.value
    }

    /// Whether there are no terms.
    public var isEverything: Bool { requirements.isEmpty }

    /// The selector in query syntax.
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }

    /// The text of the field at dotted `path` in `object`: strings as they are, booleans as
    /// `true`/`false`, numbers in decimal, and "" for a missing field, null, or an object or
    /// array, as the field sets of kube-apiserver's registries print them.
    public static func fieldValue(_ path: String, in object: JSONValue) -> String {
        let keys = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch object[path: keys] {
        case .string(let s)?: return s
        case .bool(let b)?: return b ? "true" : "false"
        case .integer(let i)?: return String(i)
        case .number(let d)?: return JSONValue.number(d).goDescription
        default: return ""
        }
    }

    /// Escapes `\`, `,` and `=` in a value so it can be written in a selector.
    public static func escape(_ value: String) -> String {
        var result = ""
        for c in value {
            if c == "\\" || c == "," || c == "=" { result.append("\\") }
            result.append(c)
        }
        return result
    }

    // MARK: Parsing

    /// The terms between unescaped commas, escapes left in.
    private static func splitTerms(_ text: String) -> [String] {
        if text.isEmpty { return [] }
        var terms: [String] = []
        var current = ""
        var escaped = false
        for c in text {
            if escaped {
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "," {
                terms.append(current)
                current = ""
                continue
            }
            current.append(c)
        }
        terms.append(current)
        return terms
    }

    /// Splits a term at its first operator. The field part has no escapes, so the first
    /// `!=`, `==` or `=` wins.
    private static func splitTerm(_ term: String) -> (String, Operator, String)? {
        var index = term.startIndex
        while index < term.endIndex {
            let rest = term[index...]
            for op in [Operator.notEquals, .doubleEquals, .equals] where rest.hasPrefix(op.rawValue) {
                return (String(term[..<index]), op, String(rest.dropFirst(op.rawValue.count)))
            }
            index = term.index(after: index)
        }
        return nil
    }

    /// Undoes `escape`, rejecting unknown escapes and bare `,` or `=`.
    private static func unescape(_ raw: String) throws(SelectorError) -> String {
        var result = ""
        var escaped = false
        for scalar in raw.unicodeScalars {
            if escaped {
                guard scalar == "\\" || scalar == "," || scalar == "=" else {
                    throw SelectorError("invalid field selector: invalid escape sequence: \\\(scalar)")
                }
                result.unicodeScalars.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "," || scalar == "=" {
                // apimachinery prints the rune with %v, i.e. as its number.
                throw SelectorError("invalid field selector: unescaped character in value: \(scalar.value)")
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        if escaped { throw SelectorError("invalid field selector: invalid escape sequence: \\") }
        return result
    }
}
