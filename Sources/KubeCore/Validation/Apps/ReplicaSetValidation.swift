/// apps/v1 ReplicaSet: `ValidateReplicaSetSpec`, and on update the immutable selector.
enum ReplicaSetValidation {
    /// `ValidateReplicaSet` / `ValidateReplicaSetUpdate` without the metadata checks.
    static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        let spec = object["spec"]
        let path = FieldPath("spec")
        var errors = FieldChecks.nonNegative(spec?["replicas"], path.child("replicas"))
        errors += FieldChecks.nonNegative(spec?["minReadySeconds"], path.child("minReadySeconds"))
        // kube's ReplicaSet check reuses the Deployment's words.
        errors += WorkloadSelectorValidation.errors(spec, noun: "deployment")
        if let selector = SelectorValidation.selector(spec?["selector"]) {
            errors += ReplicaSetTemplateValidation.errors(spec?["template"], selector: selector, path.child("template"))
        } else {
            errors.append(FieldError(path.child("selector"), .invalid(value: .raw(GoSyntax.labelSelector(spec?["selector"])), detail: "invalid label selector")))
        }
        if let old { errors += WorkloadSelectorValidation.immutableErrors(object, old) }
        return errors
    }
}
