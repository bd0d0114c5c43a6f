/// apps/v1 DaemonSet: `ValidateDaemonSetSpec` and its update strategy, and on update the
/// immutable selector. `templateGeneration` is the server's own (kept by the strategy), so its
/// update rules are not checked again here.
enum DaemonSetValidation {
    /// `ValidateDaemonSet` / `ValidateDaemonSetUpdate` without the metadata checks.
    static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        var errors = specErrors(object["spec"])
        if let old { errors += WorkloadSelectorValidation.immutableErrors(object, old) }
        return errors
    }

    /// `ValidateDaemonSetSpec`.
    static func specErrors(_ spec: JSONValue?) -> [FieldError] {
        let path = FieldPath("spec")
        let template = spec?["template"]
        var errors = SelectorValidation.errors(spec?["selector"], path.child("selector"))
        if let selector = SelectorValidation.selector(spec?["selector"]),
           !selector.matches(SelectorValidation.templateLabels(template)) {
            errors.append(SelectorValidation.mismatch(template, path.child("template")))
        }
        if let selector = spec?["selector"], !selector.isNull, SelectorValidation.isEmpty(selector) {
            errors.append(FieldError(path.child("selector"), .invalid(value: .raw(GoSyntax.labelSelector(selector)), detail: "empty selector is invalid for daemonset")))
        }
        errors += PodTemplateValidation.errors(template, path: path.child("template"))
        errors += ReplicaSetTemplateValidation.restartErrors(template, path.child("template"), kind: "DaemonSet")
        errors += FieldChecks.nonNegative(spec?["minReadySeconds"], path.child("minReadySeconds"))
        errors += updateStrategyErrors(spec?["updateStrategy"], path.child("updateStrategy"))
        errors += FieldChecks.nonNegative(spec?["revisionHistoryLimit"], path.child("revisionHistoryLimit"))
        return errors
    }

    /// `ValidateDaemonSetUpdateStrategy` and `ValidateRollingUpdateDaemonSet`.
    static func updateStrategyErrors(_ strategy: JSONValue?, _ path: FieldPath) -> [FieldError] {
        let rolling = strategy?["rollingUpdate"].flatMap { $0.isNull ? nil : $0 }
        switch strategy?["type"]?.string ?? "" {
        case "OnDelete":
            return []
        case "RollingUpdate":
            guard let rolling else { return [FieldError(path.child("rollingUpdate"), .required(detail: ""))] }
            let at = path.child("rollingUpdate")
            let unavailable = rolling["maxUnavailable"], surge = rolling["maxSurge"]
            var errors = IntOrPercent.positiveErrors(unavailable, at.child("maxUnavailable"))
            errors += IntOrPercent.positiveErrors(surge, at.child("maxSurge"))
            errors += IntOrPercent.notMoreThan100PercentErrors(unavailable, at.child("maxUnavailable"))
            errors += IntOrPercent.notMoreThan100PercentErrors(surge, at.child("maxSurge"))
            let hasUnavailable = IntOrPercent.value(unavailable) != 0
            let hasSurge = IntOrPercent.value(surge) != 0
            if hasUnavailable && hasSurge {
                errors.append(FieldError(at.child("maxSurge"), .invalid(value: IntOrPercent.shown(surge), detail: "may not be set when maxUnavailable is non-zero")))
            } else if !hasUnavailable && !hasSurge {
                errors.append(FieldError(at.child("maxUnavailable"), .required(detail: "cannot be 0 when maxSurge is 0")))
            }
            return errors
        default:
            let shown = "apps.DaemonSetUpdateStrategy{Type:\(goQuoted(strategy?["type"]?.string ?? "")), RollingUpdate:\(GoSyntax.pointer("apps.RollingUpdateDaemonSet", rolling))}"
            return [FieldError(path, .notSupported(value: .raw(shown), supported: ["RollingUpdate", "OnDelete"]))]
        }
    }
}
