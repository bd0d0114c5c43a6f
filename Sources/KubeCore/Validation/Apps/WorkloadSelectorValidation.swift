/// The `spec.selector` checks the apps controllers share: required, valid, not empty, and
/// (on update through apps/v1) immutable.
enum WorkloadSelectorValidation {
    /// Required, `ValidateLabelSelector`, and "empty selector is invalid for <noun>".
    static func errors(_ spec: JSONValue?, noun: String) -> [FieldError] {
        let path = FieldPath("spec", "selector")
        guard let selector = spec?["selector"], !selector.isNull else {
            return [FieldError(path, .required(detail: ""))]
        }
        var errors = SelectorValidation.errors(selector, path)
        if SelectorValidation.isEmpty(selector) {
            errors.append(FieldError(path, .invalid(value: .raw(GoSyntax.labelSelector(selector)), detail: "empty selector is invalid for \(noun)")))
        }
        return errors
    }

    /// The registry strategies' apps/v1 rule: `spec.selector` may not change.
    static func immutableErrors(_ object: JSONValue, _ old: JSONValue) -> [FieldError] {
        let selector = object["spec"]?["selector"]
        return FieldChecks.immutable(selector, old["spec"]?["selector"], FieldPath("spec", "selector"),
                                     shown: selector == nil || selector?.isNull == true ? .null : .raw(GoSyntax.labelSelector(selector)))
    }
}
