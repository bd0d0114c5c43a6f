/// `ValidateConfigMap` and `ValidateConfigMapUpdate` (core validation): keys, total size, and
/// nothing changes once `immutable` is set.
public enum ConfigMapValidation {
    /// `core.MaxSecretSize`, which bounds ConfigMaps too: 1 MiB of values.
    public static let maxSize = 1024 * 1024

    /// The kind's rules; `old` is the stored ConfigMap on update.
    @Sendable public static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        if let old { errors += immutableErrors(object, old, fields: ["data", "binaryData"]) }
        let data = object["data"]?.object ?? [:]
        let binary = object["binaryData"]?.object ?? [:]
        var total = 0
        for (key, value) in data.sorted(by: { $0.key < $1.key }) {
            errors += NameValidation.configMapKeyErrors(key).map { FieldError(FieldPath("data").key(key), .invalid(value: .string(key), detail: $0)) }
            if binary[key] != nil {
                errors.append(FieldError(FieldPath("data").key(key), .invalid(value: .string(key), detail: "duplicate of key present in binaryData")))
            }
            total += (value.string ?? "").utf8.count
        }
        for (key, value) in binary.sorted(by: { $0.key < $1.key }) {
            errors += NameValidation.configMapKeyErrors(key).map { FieldError(FieldPath("binaryData").key(key), .invalid(value: .string(key), detail: $0)) }
            total += SecretValidation.decodedCount(value)
        }
        if total > maxSize {
            // kube reports this on the root path "" (the whole object).
            errors.append(FieldError(field: "", .tooLong(maxLength: maxSize)))
        }
        return errors
    }

    /// With `immutable: true` stored: it stays true and `fields` keep their values.
    static func immutableErrors(_ object: JSONValue, _ old: JSONValue, fields: [String]) -> [FieldError] {
        guard old["immutable"]?.bool == true else { return [] }
        let message = "field is immutable when `immutable` is set"
        var errors: [FieldError] = []
        if object["immutable"]?.bool != true {
            errors.append(FieldError(FieldPath("immutable"), .forbidden(detail: message)))
        }
        for field in fields where emptyAsNil(object[field]) != emptyAsNil(old[field]) {
            errors.append(FieldError(FieldPath(field), .forbidden(detail: message)))
        }
        return errors
    }

    /// A map as Go's `reflect.DeepEqual` sees it after decoding: absent and null are nil.
    private static func emptyAsNil(_ value: JSONValue?) -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        return value
    }
}
