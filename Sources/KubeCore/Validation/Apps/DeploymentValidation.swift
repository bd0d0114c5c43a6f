/// apps/v1 Deployment: `ValidateDeploymentSpec` (pkg/apis/apps/validation), and on update the
/// apps/v1 strategy's immutable selector.
enum DeploymentValidation {
    /// `ValidateDeployment` / `ValidateDeploymentUpdate` without the metadata checks.
    static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        var errors = specErrors(object["spec"])
        if let old { errors += WorkloadSelectorValidation.immutableErrors(object, old) }
        return errors
    }

    /// `ValidateDeploymentSpec`.
    static func specErrors(_ spec: JSONValue?) -> [FieldError] {
        let path = FieldPath("spec")
        var errors = FieldChecks.nonNegative(spec?["replicas"], path.child("replicas"))
        errors += WorkloadSelectorValidation.errors(spec, noun: "deployment")
        if let selector = SelectorValidation.selector(spec?["selector"]) {
            errors += ReplicaSetTemplateValidation.errors(spec?["template"], selector: selector, path.child("template"))
        } else {
            errors.append(FieldError(path.child("selector"), .invalid(value: .raw(GoSyntax.labelSelector(spec?["selector"])), detail: "invalid label selector")))
        }
        errors += strategyErrors(spec?["strategy"], path.child("strategy"))
        errors += FieldChecks.nonNegative(spec?["minReadySeconds"], path.child("minReadySeconds"))
        errors += FieldChecks.nonNegative(spec?["revisionHistoryLimit"], path.child("revisionHistoryLimit"))
        if let deadline = spec?["progressDeadlineSeconds"]?.int {
            errors += FieldChecks.nonNegative(.integer(deadline), path.child("progressDeadlineSeconds"))
            if deadline <= spec?["minReadySeconds"]?.int ?? 0 {
                errors.append(FieldError(path.child("progressDeadlineSeconds"), .invalid(value: .int(deadline), detail: "must be greater than minReadySeconds")))
            }
        }
        return errors
    }

    /// `ValidateDeploymentStrategy` and `ValidateRollingUpdateDeployment`.
    static func strategyErrors(_ strategy: JSONValue?, _ path: FieldPath) -> [FieldError] {
        let rolling = strategy?["rollingUpdate"].flatMap { $0.isNull ? nil : $0 }
        switch strategy?["type"]?.string ?? "" {
        case "Recreate":
            guard rolling != nil else { return [] }
            return [FieldError(path.child("rollingUpdate"), .forbidden(detail: "may not be specified when strategy `type` is 'Recreate'"))]
        case "RollingUpdate":
            guard let rolling else {
                return [FieldError(path.child("rollingUpdate"), .required(detail: "this should be defaulted and never be nil"))]
            }
            let at = path.child("rollingUpdate")
            var errors = IntOrPercent.positiveErrors(rolling["maxUnavailable"], at.child("maxUnavailable"))
            errors += IntOrPercent.positiveErrors(rolling["maxSurge"], at.child("maxSurge"))
            if IntOrPercent.value(rolling["maxUnavailable"]) == 0, IntOrPercent.value(rolling["maxSurge"]) == 0 {
                errors.append(FieldError(at.child("maxUnavailable"), .invalid(value: IntOrPercent.shown(rolling["maxUnavailable"]), detail: "may not be 0 when `maxSurge` is 0")))
            }
            errors += IntOrPercent.notMoreThan100PercentErrors(rolling["maxUnavailable"], at.child("maxUnavailable"))
            return errors
        default:
            let shown = "apps.DeploymentStrategy{Type:\(goQuoted(strategy?["type"]?.string ?? "")), RollingUpdate:\(GoSyntax.pointer("apps.RollingUpdateDeployment", rolling))}"
            return [FieldError(path, .notSupported(value: .raw(shown), supported: ["Recreate", "RollingUpdate"]))]
        }
    }
}
