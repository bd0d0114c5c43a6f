/// apps/v1 StatefulSet: `ValidateStatefulSetSpec` and `ValidateStatefulSetUpdate`. As in kube,
/// the pod template's spec is not validated for a StatefulSet (only its labels and the
/// restart rules), see the TODO in `ValidatePodTemplateSpecForStatefulSet`.
enum StatefulSetValidation {
    /// The spec members an update may change; any other change is forbidden.
    static let mutableSpecFields = ["replicas", "template", "updateStrategy", "minReadySeconds", "ordinals", "persistentVolumeClaimRetentionPolicy"]

    /// `ValidateStatefulSet` / `ValidateStatefulSetUpdate` without the metadata checks.
    static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        var errors = specErrors(object["spec"])
        if let old {
            var newSpec = JSONValue.objectOrEmpty(object["spec"]), oldSpec = JSONValue.objectOrEmpty(old["spec"])
            for field in mutableSpecFields {
                newSpec[field] = nil
                oldSpec[field] = nil
            }
            if !FieldChecks.semanticallyEqual(newSpec, oldSpec) {
                errors.append(FieldError(FieldPath("spec"), .forbidden(detail: "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")))
            }
        }
        return errors
    }

    /// `ValidateStatefulSetSpec`.
    static func specErrors(_ spec: JSONValue?) -> [FieldError] {
        let path = FieldPath("spec")
        var errors: [FieldError] = []
        switch spec?["podManagementPolicy"]?.string ?? "" {
        case "":
            errors.append(FieldError(path.child("podManagementPolicy"), .required(detail: "")))
        case "OrderedReady", "Parallel":
            break
        case let other:
            errors.append(FieldError(path.child("podManagementPolicy"), .invalid(value: .string(other), detail: "must be 'OrderedReady' or 'Parallel'")))
        }
        errors += updateStrategyErrors(spec?["updateStrategy"], path.child("updateStrategy"))
        let retention = spec?["persistentVolumeClaimRetentionPolicy"]
        if let retention, !retention.isNull {
            for field in ["whenDeleted", "whenScaled"] {
                let value = retention[field]?.string ?? ""
                if value != "Retain", value != "Delete" {
                    errors.append(FieldError(path.child("persistentVolumeClaimRetentionPolicy", field), .notSupported(value: .string(value), supported: ["Retain", "Delete"])))
                }
            }
        }
        errors += FieldChecks.nonNegative(spec?["replicas"], path.child("replicas"))
        errors += FieldChecks.nonNegative(spec?["minReadySeconds"], path.child("minReadySeconds"))
        if let ordinals = spec?["ordinals"], !ordinals.isNull {
            errors += FieldChecks.nonNegative(ordinals["start"], path.child("ordinals.start"))
        }
        let selectorJSON = spec?["selector"]
        if selectorJSON == nil || selectorJSON?.isNull == true {
            errors.append(FieldError(path.child("selector"), .required(detail: "")))
        } else if let selectorJSON {
            errors += SelectorValidation.errors(selectorJSON, path.child("selector"))
            if SelectorValidation.isEmpty(selectorJSON) {
                errors.append(FieldError(path.child("selector"), .invalid(value: .raw(GoSyntax.labelSelector(selectorJSON)), detail: "empty selector is invalid for statefulset")))
            }
        }
        let template = spec?["template"]
        if let selector = SelectorValidation.selector(selectorJSON) {
            if !selector.isEverything, !selector.matches(SelectorValidation.templateLabels(template)) {
                errors.append(SelectorValidation.mismatch(template, path.child("template")))
            }
            errors += SelectorValidation.labelErrors(template?["metadata"]?["labels"], path.child("template", "labels"))
        } else {
            errors.append(FieldError(path.child("selector"), .invalid(value: .raw(GoSyntax.labelSelector(selectorJSON)), detail: "")))
        }
        errors += ReplicaSetTemplateValidation.restartErrors(template, path.child("template"), kind: "StatefulSet")
        return errors
    }

    /// The update strategy: RollingUpdate (with a non-negative partition) or OnDelete (without
    /// a rollingUpdate block).
    static func updateStrategyErrors(_ strategy: JSONValue?, _ path: FieldPath) -> [FieldError] {
        let rolling = strategy?["rollingUpdate"].flatMap { $0.isNull ? nil : $0 }
        switch strategy?["type"]?.string ?? "" {
        case "":
            return [FieldError(path, .required(detail: ""))]
        case "OnDelete":
            guard let rolling else { return [] }
            return [FieldError(path.child("rollingUpdate"), .invalid(value: .raw(rollingUpdateShown(rolling)), detail: "only allowed for updateStrategy 'RollingUpdate'"))]
        case "RollingUpdate":
            guard let rolling else { return [] }
            let at = path.child("rollingUpdate")
            var errors = FieldChecks.nonNegative(rolling["partition"], at.child("partition"))
            if let unavailable = rolling["maxUnavailable"], !unavailable.isNull {
                errors += IntOrPercent.positiveErrors(unavailable, at.child("maxUnavailable"))
                if IntOrPercent.value(unavailable) == 0 {
                    errors.append(FieldError(at.child("maxUnavailable"), .invalid(value: IntOrPercent.shown(unavailable), detail: "cannot be 0")))
                }
                errors += IntOrPercent.notMoreThan100PercentErrors(unavailable, at.child("maxUnavailable"))
            }
            return errors
        default:
            let shown = "apps.StatefulSetUpdateStrategy{Type:\(goQuoted(strategy?["type"]?.string ?? "")), RollingUpdate:\(GoSyntax.pointer("apps.RollingUpdateStatefulSetStrategy", rolling))}"
            return [FieldError(path, .invalid(value: .raw(shown), detail: "must be 'RollingUpdate' or 'OnDelete'"))]
        }
    }

    /// `*apps.RollingUpdateStatefulSetStrategy` as `%#v` prints what it points to.
    private static func rollingUpdateShown(_ rolling: JSONValue) -> String {
        let partition = rolling["partition"]?.int ?? 0
        let unavailable = rolling["maxUnavailable"].flatMap { $0.isNull ? nil : $0 }
        return "apps.RollingUpdateStatefulSetStrategy{Partition:\(partition), MaxUnavailable:\(GoSyntax.pointer("intstr.IntOrString", unavailable))}"
    }
}
