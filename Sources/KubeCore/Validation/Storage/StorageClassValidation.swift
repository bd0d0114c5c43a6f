/// `ValidateStorageClass(Update)` (storage validation): a provisioner, bounded parameters,
/// supported reclaim policy and binding mode; provisioner, parameters, reclaim policy and
/// binding mode never change.
public enum StorageClassValidation {
    private static let reclaimPolicies = ["Delete", "Retain"]
    private static let bindingModes = ["Immediate", "WaitForFirstConsumer"]
    private static let maxParameters = 512
    private static let maxParameterSize = 256 * 1024

    /// The kind's rules; `old` is the stored class on update. An update is checked for
    /// immutable fields only, as kube's `ValidateStorageClassUpdate` does.
    @Sendable public static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        guard let old else { return createErrors(object) }
        var errors: [FieldError] = []
        if emptyAsNil(object["parameters"]) != emptyAsNil(old["parameters"]) {
            errors.append(FieldError(FieldPath("parameters"), .forbidden(detail: "updates to parameters are forbidden.")))
        }
        if object["provisioner"]?.string != old["provisioner"]?.string {
            errors.append(FieldError(FieldPath("provisioner"), .forbidden(detail: "updates to provisioner are forbidden.")))
        }
        if object["reclaimPolicy"]?.string != old["reclaimPolicy"]?.string {
            errors.append(FieldError(FieldPath("reclaimPolicy"), .forbidden(detail: "updates to reclaimPolicy are forbidden.")))
        }
        if object["volumeBindingMode"] != old["volumeBindingMode"] {
            errors.append(FieldError(FieldPath("volumeBindingMode"), .invalid(value: GoValue(object["volumeBindingMode"]), detail: ObjectMetaValidation.immutableMessage)))
        }
        return errors
    }

    private static func createErrors(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let provisioner = object["provisioner"]?.string ?? ""
        if provisioner.isEmpty {
            errors.append(FieldError(FieldPath("provisioner"), .required(detail: "")))
        } else {
            errors += NameValidation.qualifiedNameErrors(provisioner.lowercased()).map { FieldError(FieldPath("provisioner"), .invalid(value: .string(provisioner), detail: $0)) }
        }
        let parameters = object["parameters"]?.object ?? [:]
        if parameters.count > maxParameters {
            errors.append(FieldError(FieldPath("parameters"), .tooLong(maxLength: maxParameters)))
        } else {
            var size = 0
            for (key, value) in parameters.sorted(by: { $0.key < $1.key }) {
                if key.isEmpty { errors.append(FieldError(FieldPath("parameters"), .invalid(value: .string(key), detail: "field can not be empty."))) }
                size += key.utf8.count + (value.string ?? "").utf8.count
            }
            if size > maxParameterSize { errors.append(FieldError(FieldPath("parameters"), .tooLong(maxLength: maxParameterSize))) }
        }
        if let policy = object["reclaimPolicy"]?.string, !policy.isEmpty, !reclaimPolicies.contains(policy) {
            errors.append(FieldError(FieldPath("reclaimPolicy"), .notSupported(value: .string(policy), supported: reclaimPolicies)))
        }
        if let mode = object["volumeBindingMode"], !mode.isNull {
            if !bindingModes.contains(mode.string ?? "") {
                errors.append(FieldError(FieldPath("volumeBindingMode"), .notSupported(value: GoValue(mode), supported: bindingModes)))
            }
        } else {
            errors.append(FieldError(FieldPath("volumeBindingMode"), .required(detail: "")))
        }
        return errors
    }

    private static func emptyAsNil(_ value: JSONValue?) -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        return value
    }
}
