/// Reading a JSON object the way kube's validation sees its decoded Go struct: absent and
/// null fields are zero values (`""`, `0`, nil pointers, empty lists). Wrong JSON types never
/// reach validation (decoding rejects them first), so they read as zero values too.
enum GoFields {
    /// A string field; `""` when unset.
    static func string(_ value: JSONValue?) -> String { value?.string ?? "" }

    /// An integer field; 0 when unset.
    static func int(_ value: JSONValue?) -> Int { value?.int ?? 0 }

    /// Whether a pointer, struct-pointer or slice field is set (present and not null).
    static func isSet(_ value: JSONValue?) -> Bool {
        guard let value else { return false }
        return !value.isNull
    }

    /// A list field; empty when unset.
    static func list(_ value: JSONValue?) -> [JSONValue] { value?.array ?? [] }

    /// A `map[string]string` field, sorted by key (Go's map order is random; sorted is
    /// deterministic and what single-error messages need).
    static func stringMap(_ value: JSONValue?) -> [(key: String, value: String)] {
        (value?.object ?? [:]).map { (key: $0.key, value: $0.value.string ?? "") }.sorted { $0.key < $1.key }
    }

    /// A map field's entries, sorted by key.
    static func entries(_ value: JSONValue?) -> [(key: String, value: JSONValue)] {
        (value?.object ?? [:]).map { (key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
    }

    /// Whether a struct value differs from its zero value (what `validateFieldAllowList`
    /// compares): set, and not an empty object, list or zero scalar.
    static func isNonZero(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: return false
        case .object(let o)?: return !o.isEmpty
        case .array(let a)?: return !a.isEmpty
        case .string(let s)?: return !s.isEmpty
        case .bool(let b)?: return b
        case .integer(let i)?: return i != 0
        case .number(let d)?: return d != 0
        }
    }
}

/// `ValidateLabels`, `ValidateAnnotations`, `ValidateLabelName` and `ValidateLabelSelector`
/// (apimachinery's `apis/meta/v1/validation` and `api/validation`).
enum MetaValidation {
    /// `ValidateLabelName`: a qualified name.
    static func labelName(_ name: String, _ path: FieldPath) -> [FieldError] {
        ValueFormats.qualifiedName(name).map { FieldError(path, .invalid(value: .string(name), detail: $0)) }
    }

    /// `ValidateQualifiedName`.
    static func qualifiedName(_ name: String, _ path: FieldPath) -> [FieldError] { labelName(name, path) }

    /// `ValidateDNS1123Label`.
    static func dnsLabel(_ value: String, _ path: FieldPath) -> [FieldError] {
        ValueFormats.dns1123Label(value).map { FieldError(path, .invalid(value: .string(value), detail: $0)) }
    }

    /// `ValidateDNS1123Subdomain` (and the `NameIsDNSSubdomain` name checks).
    static func dnsSubdomain(_ value: String, _ path: FieldPath) -> [FieldError] {
        ValueFormats.dns1123Subdomain(value).map { FieldError(path, .invalid(value: .string(value), detail: $0)) }
    }

    /// `ValidateLabels`: every key a qualified name, every value a label value, all reported
    /// on the map's own path.
    static func labels(_ value: JSONValue?, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, text) in GoFields.stringMap(value) {
            errors += labelName(key, path)
            errors += ValueFormats.labelValue(text).map { FieldError(path, .invalid(value: .string(text), detail: $0)) }
        }
        return errors
    }

    /// apimachinery's `TotalAnnotationSizeLimitB`.
    static let totalAnnotationSizeLimit = 256 * 1024

    /// `ValidateAnnotations`: keys are qualified names (case ignored), 256 KiB in all.
    static func annotations(_ value: JSONValue?, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var size = 0
        for (key, text) in GoFields.stringMap(value) {
            errors += ValueFormats.qualifiedName(key.lowercased()).map { FieldError(path, .invalid(value: .string(key), detail: $0)) }
            size += key.utf8.count + text.utf8.count
        }
        if size > totalAnnotationSizeLimit {
            errors.append(FieldError(path, .tooLong(maxLength: totalAnnotationSizeLimit)))
        }
        return errors
    }

    /// `ValidateLabelSelector` with `AllowInvalidLabelValueInSelector` false.
    static func labelSelector(_ selector: JSONValue?, _ path: FieldPath) -> [FieldError] {
        guard GoFields.isSet(selector) else { return [] }
        var errors = labels(selector?["matchLabels"], path.child("matchLabels"))
        for (i, expression) in GoFields.list(selector?["matchExpressions"]).enumerated() {
            let exprPath = path.child("matchExpressions").index(i)
            let values = GoFields.list(expression["values"])
            let op = GoFields.string(expression["operator"])
            switch op {
            case "In", "NotIn":
                if values.isEmpty {
                    errors.append(FieldError(exprPath.child("values"), .required(detail: "must be specified when `operator` is 'In' or 'NotIn'")))
                }
            case "Exists", "DoesNotExist":
                if !values.isEmpty {
                    errors.append(FieldError(exprPath.child("values"), .forbidden(detail: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")))
                }
            default:
                errors.append(FieldError(exprPath.child("operator"), .invalid(value: .string(op), detail: "not a valid selector operator")))
            }
            errors += labelName(GoFields.string(expression["key"]), exprPath.child("key"))
            for (j, item) in values.enumerated() {
                let text = GoFields.string(item)
                errors += ValueFormats.labelValue(text).map { FieldError(exprPath.child("values").index(j), .invalid(value: .string(text), detail: $0)) }
            }
        }
        return errors
    }
}
