/// A Kubernetes label selector: requirements on an object's labels that must all hold.
///
/// It comes either as the `labelSelector` query parameter of list and watch
/// (`app=web,tier in (frontend,cache),!canary`, see `init(parsing:)`) or as a
/// metav1.LabelSelector object in a spec (`matchLabels` and `matchExpressions`, see
/// `init(json:)`). Semantics and messages follow apimachinery's `labels` package.
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    /// How a requirement compares a label.
    public enum Operator: String, Sendable, Hashable {
        /// `key in (a,b)`: the label is set to one of the values.
        case `in` = "in"
        /// `key notin (a,b)`: the label is unset or set to none of the values.
        case notIn = "notin"
        /// `key=a`: the label is set to the value.
        case equals = "="
        /// `key==a`: the same as `=`.
        case doubleEquals = "=="
        /// `key!=a`: the label is unset or set to another value.
        case notEquals = "!="
        /// `key`: the label is set, to anything.
        case exists = "exists"
        /// `!key`: the label is unset.
        case doesNotExist = "!"
        /// `key>1`: the label is an integer greater than the value.
        case greaterThan = "gt"
        /// `key<1`: the label is an integer less than the value.
        case lessThan = "lt"
    }

    /// One condition on one label.
    public struct Requirement: Sendable, Hashable, CustomStringConvertible {
        /// The label key, e.g. `app.kubernetes.io/name`.
        public let key: String
        /// The comparison.
        public let op: Operator
        /// The values compared against, sorted and without duplicates; empty for
        /// `exists` and `doesNotExist`.
        public let values: [String]

        /// A requirement, validated as apimachinery's NewRequirement does: the key must be a
        /// qualified name, values valid label values, and their number fit the operator.
        public init(key: String, op: Operator, values: [String]) throws(SelectorError) {
            var errors: [String] = []
            let keyErrors = LabelValidation.keyErrors(key)
            if !keyErrors.isEmpty {
                errors.append("key: Invalid value: \(goQuoted(key)): \(keyErrors.joined(separator: "; "))")
            }
            switch op {
            case .in, .notIn:
                if values.isEmpty {
                    errors.append("values: Invalid value: \(goStrings(values)): for 'in', 'notin' operators, values set can't be empty")
                }
            case .equals, .doubleEquals, .notEquals:
                if values.count != 1 {
                    errors.append("values: Invalid value: \(goStrings(values)): exact-match compatibility requires one single value")
                }
            case .exists, .doesNotExist:
                if !values.isEmpty {
                    errors.append("values: Invalid value: \(goStrings(values)): values set must be empty for exists and does not exist")
                }
            case .greaterThan, .lessThan:
                if values.count != 1 {
                    errors.append("values: Invalid value: \(goStrings(values)): for 'Gt', 'Lt' operators, exactly one value is required")
                }
                for (i, value) in values.enumerated() where Int64(value) == nil {
                    errors.append("values[\(i)]: Invalid value: \(goQuoted(value)): for 'Gt', 'Lt' operators, the value must be an integer")
                }
            }
            for (i, value) in values.enumerated() {
                let valueErrors = LabelValidation.valueErrors(value)
                if !valueErrors.isEmpty {
                    errors.append("values[\(i)]: Invalid value: \(goQuoted(value)): \(valueErrors.joined(separator: "; "))")
                }
            }
            if errors.count == 1 { throw SelectorError(errors[0]) }
            if errors.count > 1 { throw SelectorError("[" + errors.joined(separator: ", ") + "]") }
            self.key = key
            self.op = op
            self.values = Array(Set(values)).sorted()
        }

        /// Whether `labels` satisfy this requirement.
        public func matches(_ labels: [String: String]) -> Bool {
            let label = labels[key]
            switch op {
            case .in, .equals, .doubleEquals:
                guard let label else { return false }
                return values.contains(label)
            case .notIn, .notEquals:
                guard let label else { return true }
                return !values.contains(label)
            case .exists:
                return label != nil
            case .doesNotExist:
                return label == nil
            case .greaterThan, .lessThan:
                // A label that is not an integer never matches, as in apimachinery.
                guard let label, let actual = Int64(label), values.count == 1, let bound = Int64(values[0]) else {
                    return false
                }
                return op == .greaterThan ? actual > bound : actual < bound
            }
        }

        /// The requirement in selector syntax, e.g. `tier in (cache,frontend)`.
        public var description: String {
            switch op {
            case .exists: return key
            case .doesNotExist: return "!" + key
            case .in, .notIn: return "\(key) \(op.rawValue) (\(values.joined(separator: ",")))"
            case .greaterThan: return key + ">" + (values.first ?? "")
            case .lessThan: return key + "<" + (values.first ?? "")
            case .equals, .doubleEquals, .notEquals: return key + op.rawValue + (values.first ?? "")
            }
        }
    }

    /// The requirements, all of which must hold, sorted by key (stably).
    public let requirements: [Requirement]

    /// True for the selector that matches nothing (a null metav1.LabelSelector).
    public let matchesNothing: Bool

    /// The selector with no requirements: it matches every object.
    public static let everything = LabelSelector(requirements: [], matchesNothing: false)

    /// The selector that matches no object, which is what a null selector in a spec means.
    public static let nothing = LabelSelector(requirements: [], matchesNothing: true)

    /// A selector from already built requirements.
    public init(requirements: [Requirement]) {
        self.init(requirements: requirements, matchesNothing: false)
    }

    /// The memberwise initializer; sorts the requirements by key.
    private init(requirements: [Requirement], matchesNothing: Bool) {
        self.requirements = requirements.enumerated()
            .sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
            .map(\.element)
        self.matchesNothing = matchesNothing
    }

    /// Parses the query syntax: requirements separated by commas, each one of `key`,
    /// `!key`, `key=value`, `key==value`, `key!=value`, `key in (v1,v2)`,
    /// `key notin (v1,v2)`, `key>n`, `key<n`. Whitespace between tokens is ignored; the
    /// empty string selects everything.
    /// - Throws: `SelectorError`, e.g. `unable to parse requirement: found '', expected: identifier`.
    public init(parsing text: String) throws(SelectorError) {
        var parser = LabelSelectorParser(text)
        self.init(requirements: try parser.parse(), matchesNothing: false)
    }

    /// Converts a metav1.LabelSelector object as it appears in a spec: `matchLabels` become
    /// `key=value` requirements and `matchExpressions` use the operators `In`, `NotIn`,
    /// `Exists` and `DoesNotExist`. `null` matches nothing and `{}` everything, as
    /// apimachinery's LabelSelectorAsSelector has it.
    /// - Throws: `SelectorError` for an unknown operator or invalid keys and values.
    public init(json: JSONValue) throws(SelectorError) {
        guard case .object(let selector) = json else {
            if json.isNull {
                self = .nothing
                return
            }
            throw SelectorError("json: cannot unmarshal \(json.goTypeName) into Go value of type v1.LabelSelector")
        }
        var requirements: [Requirement] = []
        for (key, value) in selector["matchLabels"]?.object ?? [:] {
            requirements.append(try Requirement(key: key, op: .equals, values: [value.string ?? ""]))
        }
        for expression in selector["matchExpressions"]?.array ?? [] {
            let name = expression["operator"]?.string ?? ""
            let op: Operator
            switch name {
            case "In": op = .in
            case "NotIn": op = .notIn
            case "Exists": op = .exists
            case "DoesNotExist": op = .doesNotExist
            default: throw SelectorError("\(goQuoted(name)) is not a valid label selector operator")
            }
            let values = (expression["values"]?.array ?? []).map { $0.string ?? "" }
            requirements.append(try Requirement(key: expression["key"]?.string ?? "", op: op, values: values))
        }
        self.init(requirements: requirements, matchesNothing: false)
    }

    /// Whether an object with `labels` is selected.
    public func matches(_ labels: [String: String]) -> Bool {
        !matchesNothing && requirements.allSatisfy { $0.matches(labels) }
    }

    /// Whether the object's `metadata.labels` are selected (missing labels count as none).
    public func matches(object: JSONValue) -> Bool {
        let labels = (object[path: ["metadata", "labels"]]?.object ?? [:]).compactMapValues(\.string)
        return matches(labels)
    }

    /// Whether this selector has no requirements and so selects every object.
    public var isEverything: Bool { !matchesNothing && requirements.isEmpty }

    /// The selector in query syntax, requirements sorted by key (`app=web,!canary`).
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }
}

/// A list of strings as Go's `%#v` prints a []string.
private func goStrings(_ values: [String]) -> String {
    "[]string{" + values.map(goQuoted).joined(separator: ", ") + "}"
}
