/// policy/v1 PodDisruptionBudget: `ValidatePodDisruptionBudgetSpec`
/// (pkg/apis/policy/validation), on create and on update alike (the spec is mutable).
enum PodDisruptionBudgetValidation {
    /// The unhealthy pod eviction policies, as `sets.String.List` sorts them.
    static let evictionPolicies = ["AlwaysAllow", "IfHealthyBudget"]

    /// The budget's errors without the metadata checks.
    static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        let spec = object["spec"]
        let path = FieldPath("spec")
        let minAvailable = JobSpecValidation.set(spec?["minAvailable"])
        let maxUnavailable = JobSpecValidation.set(spec?["maxUnavailable"])
        var errors: [FieldError] = []
        if minAvailable != nil, maxUnavailable != nil {
            errors.append(FieldError(path, .invalid(value: .raw(specShown(spec)), detail: "minAvailable and maxUnavailable cannot be both set")))
        }
        for (field, value) in [("minAvailable", minAvailable), ("maxUnavailable", maxUnavailable)] {
            guard let value else { continue }
            errors += IntOrPercent.positiveErrors(value, path.child(field))
            errors += IntOrPercent.notMoreThan100PercentErrors(value, path.child(field))
        }
        errors += SelectorValidation.errors(spec?["selector"], path.child("selector"))
        if let policy = spec?["unhealthyPodEvictionPolicy"]?.string, !evictionPolicies.contains(policy) {
            errors.append(FieldError(path.child("unhealthyPodEvictionPolicy"), .notSupported(value: .string(policy), supported: evictionPolicies)))
        }
        return errors
    }

    /// `policy.PodDisruptionBudgetSpec` as `%#v` prints it (set pointers show as addresses).
    private static func specShown(_ spec: JSONValue?) -> String {
        let members = [
            ("MinAvailable", "intstr.IntOrString", spec?["minAvailable"]), ("Selector", "v1.LabelSelector", spec?["selector"]),
            ("MaxUnavailable", "intstr.IntOrString", spec?["maxUnavailable"]),
            ("UnhealthyPodEvictionPolicy", "policy.UnhealthyPodEvictionPolicyType", spec?["unhealthyPodEvictionPolicy"]),
        ]
        return "policy.PodDisruptionBudgetSpec{" + members.map { "\($0.0):\(GoSyntax.pointer($0.1, $0.2))" }.joined(separator: ", ") + "}"
    }
}
