/// `ValidatePriorityClass(Update)` (scheduling validation): `system-` names are reserved to
/// the built-in classes, user values stay at or below one billion, the preemption policy is
/// supported; value and preemption policy never change.
public enum PriorityClassValidation {
    /// `HighestUserDefinablePriority`.
    public static let highestUserDefinable = 1_000_000_000
    /// The built-in classes (`SystemPriorityClasses`), with their values.
    public static let systemClasses: [String: Int] = ["system-node-critical": 2_000_001_000, "system-cluster-critical": 2_000_000_000]

    /// The kind's rules; `old` is the stored class on update.
    @Sendable public static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        let value = object["value"]?.int ?? 0
        if let old {
            var errors: [FieldError] = []
            if value != (old["value"]?.int ?? 0) {
                errors.append(FieldError(FieldPath("value"), .forbidden(detail: "may not be changed in an update.")))
            }
            if object["preemptionPolicy"] != old["preemptionPolicy"] {
                errors.append(FieldError(FieldPath("preemptionPolicy"), .invalid(value: GoValue(object["preemptionPolicy"]), detail: ObjectMetaValidation.immutableMessage)))
            }
            return errors
        }
        var errors: [FieldError] = []
        let name = object["metadata"]?["name"]?.string ?? ""
        if name.hasPrefix("system-") {
            if let problem = systemClassProblem(name, value: value, globalDefault: object["globalDefault"]?.bool ?? false) {
                errors.append(FieldError(FieldPath("metadata", "name"), .forbidden(detail: "priority class names with 'system-' prefix are reserved for system use only. error: \(problem)")))
            }
        } else if value > highestUserDefinable {
            errors.append(FieldError(FieldPath("value"), .forbidden(detail: "maximum allowed value of a user defined priority is \(highestUserDefinable)")))
        }
        if let policy = object["preemptionPolicy"], !policy.isNull {
            errors += preemptionPolicyErrors(policy.string ?? "", path: FieldPath("preemptionPolicy"))
        }
        return errors
    }

    /// `ValidatePreemptionPolicy`.
    public static func preemptionPolicyErrors(_ policy: String, path: FieldPath) -> [FieldError] {
        switch policy {
        case "PreemptLowerPriority", "Never": return []
        case "": return [FieldError(path, .required(detail: ""))]
        default: return [FieldError(path, .notSupported(value: .string(policy), supported: ["PreemptLowerPriority", "Never"]))]
        }
    }

    /// `IsKnownSystemPriorityClass`'s error, nil for a built-in class as defined.
    private static func systemClassProblem(_ name: String, value: Int, globalDefault: Bool) -> String? {
        guard let expected = systemClasses[name] else { return "\(name) is not a known system priority class" }
        if value != expected { return "value of \(name) PriorityClass must be \(expected)" }
        if globalDefault { return "globalDefault of \(name) PriorityClass must be false" }
        return nil
    }
}
