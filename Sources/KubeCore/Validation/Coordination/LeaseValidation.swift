/// `ValidateLease(Update)` (coordination validation): a positive duration and non-negative
/// transitions; a preferred holder only with a strategy.
public enum LeaseValidation {
    /// The kind's rules (the same on update).
    @Sendable public static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        let spec = object["spec"] ?? .object([:])
        let path = FieldPath("spec")
        var errors: [FieldError] = []
        if let duration = spec["leaseDurationSeconds"]?.int, duration <= 0 {
            errors.append(FieldError(path.child("leaseDurationSeconds"), .invalid(value: .int(duration), detail: "must be greater than 0")))
        }
        if let transitions = spec["leaseTransitions"]?.int, transitions < 0 {
            errors.append(FieldError(path.child("leaseTransitions"), .invalid(value: .int(transitions), detail: "must be greater than or equal to 0")))
        }
        if let holder = spec["preferredHolder"]?.string, !holder.isEmpty, (spec["strategy"]?.string ?? "").isEmpty {
            errors.append(FieldError(path.child("preferredHolder"), .forbidden(detail: "may only be specified if `strategy` is defined")))
        }
        return errors
    }
}
