/// apimachinery's `apis/meta/v1/validation`: label maps and label selectors, as every kind
/// with labels or a selector checks them.
public enum MetaV1Validation {
    /// `ValidateLabels`: each key a qualified name, each value a label value; errors carry the
    /// map's path (not the key's) and the bad key or value. Keys are visited sorted, where
    /// Go's map order is random.
    public static func labels(_ labels: JSONValue?, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, value) in (labels?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            errors += labelName(key, path: path)
            let text = value.string ?? ""
            errors += NameValidation.labelValueErrors(text).map { FieldError(path, .invalid(value: .string(text), detail: $0)) }
        }
        return errors
    }

    /// `ValidateLabelName`: a label key is a qualified name.
    public static func labelName(_ key: String, path: FieldPath) -> [FieldError] {
        NameValidation.qualifiedNameErrors(key).map { FieldError(path, .invalid(value: .string(key), detail: $0)) }
    }

    /// `ValidateLabelSelector` (label values checked): `matchLabels` as labels, then each of
    /// `matchExpressions`. Nothing for an absent or null selector.
    public static func labelSelector(_ selector: JSONValue?, path: FieldPath) -> [FieldError] {
        guard let selector, !selector.isNull else { return [] }
        var errors = labels(selector["matchLabels"], path: path.child("matchLabels"))
        for (index, requirement) in (selector["matchExpressions"]?.array ?? []).enumerated() {
            errors += labelSelectorRequirement(requirement, path: path.child("matchExpressions").index(index))
        }
        return errors
    }

    /// `ValidateLabelSelectorRequirement`: the operator against its values, the key, the values.
    public static func labelSelectorRequirement(_ requirement: JSONValue, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let values = (requirement["values"]?.array ?? []).map { $0.string ?? "" }
        let op = requirement["operator"]?.string ?? ""
        switch op {
        case "In", "NotIn":
            if values.isEmpty {
                errors.append(FieldError(path.child("values"), .required(detail: "must be specified when `operator` is 'In' or 'NotIn'")))
            }
        case "Exists", "DoesNotExist":
            if !values.isEmpty {
                errors.append(FieldError(path.child("values"), .forbidden(detail: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")))
            }
        default:
            errors.append(FieldError(path.child("operator"), .invalid(value: .string(op), detail: "not a valid selector operator")))
        }
        errors += labelName(requirement["key"]?.string ?? "", path: path.child("key"))
        for (index, value) in values.enumerated() {
            errors += NameValidation.labelValueErrors(value).map { FieldError(path.child("values").index(index), .invalid(value: .string(value), detail: $0)) }
        }
        return errors
    }

    /// `%#v` of a Go `[]string`: `[]string{"a", "b"}`.
    static func goStringSlice(_ items: [String]) -> GoValue {
        .raw("[]string{" + items.map(goQuoted).joined(separator: ", ") + "}")
    }
}
