/// apimachinery's `ValidateLabelSelector`, `ValidateLabels` and `LabelSelectorAsSelector`, as
/// the workload kinds use them on `spec.selector` and their template labels.
enum SelectorValidation {
    /// `ValidateLabels(labels, path)`: each key a qualified name and each value a label value,
    /// both reported at `path` itself (Go walks the map in random order; keys are sorted here).
    static func labelErrors(_ labels: JSONValue?, _ path: FieldPath) -> [FieldError] {
        MetaV1Validation.labels(labels, path: path)
    }

    /// `ValidateLabelSelector` with invalid label values refused (the strict mode workloads use).
    static func errors(_ selector: JSONValue?, _ path: FieldPath) -> [FieldError] {
        MetaV1Validation.labelSelector(selector, path: path)
    }

    /// `LabelSelectorAsSelector`: nil (no selector) matches nothing, `{}` everything; nil when
    /// the selector cannot be converted.
    static func selector(_ json: JSONValue?) -> LabelSelector? {
        guard let json, !json.isNull else { return .nothing }
        return try? LabelSelector(json: json)
    }

    /// Whether a set selector has neither matchLabels nor matchExpressions.
    static func isEmpty(_ selector: JSONValue) -> Bool {
        (selector["matchLabels"]?.object ?? [:]).isEmpty && (selector["matchExpressions"]?.array ?? []).isEmpty
    }

    /// The labels of a pod template's metadata as Go's `labels.Set`.
    static func templateLabels(_ template: JSONValue?) -> [String: String] {
        (template?["metadata"]?["labels"]?.object ?? [:]).compactMapValues(\.string)
    }

    /// The "`selector` does not match template `labels`" error at `<templatePath>.metadata.labels`.
    static func mismatch(_ template: JSONValue?, _ templatePath: FieldPath) -> FieldError {
        FieldError(templatePath.child("metadata", "labels"),
                   .invalid(value: .raw(GoSyntax.stringMap(template?["metadata"]?["labels"])),
                            detail: "`selector` does not match template `labels`"))
    }
}
