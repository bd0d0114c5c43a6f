/// Checks many kinds' validation shares: `ValidateNonnegativeField`, `ValidateImmutableField`
/// and the semantic equality (`apiequality.Semantic.DeepEqual`) behind it.
enum FieldChecks {
    /// apimachinery's `IsNegativeErrorMsg`.
    static let negativeMessage = "must be greater than or equal to 0"
    /// apimachinery's `FieldImmutableErrorMsg`.
    static let immutableMessage = "field is immutable"

    /// `ValidateNonnegativeField` for a number that is set (an absent pointer is not checked;
    /// an absent plain field is Go's zero and passes).
    static func nonNegative(_ value: JSONValue?, _ path: FieldPath) -> [FieldError] {
        guard let number = value?.int, number < 0 else { return [] }
        return [FieldError(path, .invalid(value: .int(number), detail: negativeMessage))]
    }

    /// `ValidateImmutableField(new, old)`: `shown` is how the new value prints.
    static func immutable(_ new: JSONValue?, _ old: JSONValue?, _ path: FieldPath, shown: GoValue) -> [FieldError] {
        semanticallyEqual(new, old) ? [] : [FieldError(path, .invalid(value: shown, detail: immutableMessage))]
    }

    /// Whether two decoded values are equal as the typed Go objects would be: an absent member,
    /// `null`, an empty string, an empty list and an empty map all decode to Go's zero value
    /// (and Semantic.DeepEqual treats nil and empty slices and maps alike).
    static func semanticallyEqual(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        let left = isZero(a) ? nil : a
        let right = isZero(b) ? nil : b
        switch (left, right) {
        case (nil, nil):
            return true
        case (.object(let x)?, .object(let y)?):
            for key in Set(x.keys).union(y.keys) where !semanticallyEqual(x[key], y[key]) { return false }
            return true
        case (.array(let x)?, .array(let y)?):
            return x.count == y.count && zip(x, y).allSatisfy { semanticallyEqual($0, $1) }
        case (.integer(let x)?, .number(let y)?), (.number(let y)?, .integer(let x)?):
            return Double(x) == y
        default:
            return left == right
        }
    }

    private static func isZero(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: return true
        case .string(let text)?: return text.isEmpty
        case .array(let items)?: return items.isEmpty
        case .object(let members)?: return members.isEmpty
        default: return false
        }
    }
}
