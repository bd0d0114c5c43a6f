/// The apps validation helpers for `intstr.IntOrString` fields (maxUnavailable, maxSurge):
/// `ValidatePositiveIntOrPercent`, `getIntOrPercentValue` and `IsNotMoreThan100Percent`.
enum IntOrPercent {
    /// `IsValidPercent`'s message.
    static let percentMessage = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"

    /// `ValidatePositiveIntOrPercent`: a percent string, or a non-negative integer.
    static func positiveErrors(_ value: JSONValue?, _ path: FieldPath) -> [FieldError] {
        switch value {
        case .string(let text)?:
            return percent(text) == nil ? [FieldError(path, .invalid(value: shown(value), detail: percentMessage))] : []
        case .integer(let number)? where number < 0:
            return [FieldError(path, .invalid(value: .int(number), detail: FieldChecks.negativeMessage))]
        default:
            return []
        }
    }

    /// `getIntOrPercentValue`: the percentage of a valid percent string, else `IntValue()` (a
    /// string that is no number counts as 0).
    static func value(_ json: JSONValue?) -> Int {
        switch json {
        case .string(let text)?: return percent(text) ?? Int(text) ?? 0
        case .integer(let number)?: return number
        default: return 0
        }
    }

    /// `IsNotMoreThan100Percent`.
    static func notMoreThan100PercentErrors(_ json: JSONValue?, _ path: FieldPath) -> [FieldError] {
        guard case .string(let text)? = json, let value = percent(text), value > 100 else { return [] }
        return [FieldError(path, .invalid(value: shown(json), detail: "must not be greater than 100%"))]
    }

    /// The value as `field.Error` prints an IntOrString (through its `String()`).
    static func shown(_ json: JSONValue?) -> GoValue { .raw(GoSyntax.intOrString(json)) }

    /// The number of a string matching `^[0-9]+%$`, nil otherwise.
    private static func percent(_ text: String) -> Int? {
        guard text.hasSuffix("%") else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits) ?? Int.max
    }
}
