/// batch/v1 Job: `ValidateJob` (generated selector, spec, Indexed pod names) and, on update,
/// `ValidateJobUpdate` (immutable selector, template, completions and the other fixed fields),
/// as the Job strategy runs them (`ValidateUpdate` is both, one after the other).
enum JobValidation {
    /// The legacy and prefixed labels the generated selector ties pods with.
    static let generatedLabels: [(label: String, field: String)] = [
        ("controller-uid", "uid"), ("job-name", "name"),
    ]

    /// The Job's errors; `old` is the stored Job on update.
    static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        var errors = createErrors(object)
        if let old { errors += updateErrors(object, old) }
        return errors
    }

    /// `ValidateJob` without the metadata checks.
    static func createErrors(_ job: JSONValue) -> [FieldError] {
        var errors = generatedSelectorErrors(job)
        errors += specErrors(job["spec"])
        let spec = job["spec"]
        if spec?["completionMode"]?.string == "Indexed", let completions = spec?["completions"]?.int, completions > 0 {
            let name = job["metadata"]?["name"]?.string ?? ""
            let hostname = "\(name)-\(completions - 1)"
            if NameValidation.dnsLabelProblem(hostname) != nil {
                errors.append(FieldError(FieldPath("metadata", "name"), .invalid(value: .string(name), detail: "will not able to create pod with invalid DNS label: \(hostname)")))
            }
        }
        return errors
    }

    /// `ValidateJobSpec`: `validateJobSpec`, the required and valid selector, and template
    /// labels it selects.
    static func specErrors(_ spec: JSONValue?) -> [FieldError] {
        let path = FieldPath("spec")
        var errors = JobSpecValidation.errors(spec, path)
        let selectorJSON = JobSpecValidation.set(spec?["selector"])
        if let selectorJSON {
            errors += SelectorValidation.errors(selectorJSON, path.child("selector"))
        } else {
            errors.append(FieldError(path.child("selector"), .required(detail: "")))
        }
        let template = spec?["template"]
        if let selector = SelectorValidation.selector(selectorJSON), !selector.matches(SelectorValidation.templateLabels(template)) {
            errors.append(SelectorValidation.mismatch(template, path.child("template")))
        }
        return errors
    }

    /// `validateGeneratedSelector`: unless the selector is manual, the template carries the
    /// controller-uid and job-name labels (both spellings) and the selector matches them.
    static func generatedSelectorErrors(_ job: JSONValue) -> [FieldError] {
        let spec = job["spec"]
        guard spec?["manualSelector"]?.bool != true, let selectorJSON = JobSpecValidation.set(spec?["selector"]) else { return [] }
        let uid = job["metadata"]?["uid"]?.string ?? ""
        let name = job["metadata"]?["name"]?.string ?? ""
        var errors: [FieldError] = []
        if uid.isEmpty { errors.append(FieldError(FieldPath("metadata", "uid"), .required(detail: ""))) }
        let metadataPath = FieldPath("spec", "template", "metadata")
        let labels = spec?["template"]?["metadata"]?["labels"]
        let expected: [(String, String)] = [
            (BatchDefaults.legacyControllerUIDLabel, uid), (BatchDefaults.legacyJobNameLabel, name),
            (BatchDefaults.controllerUIDLabel, uid), (BatchDefaults.jobNameLabel, name),
        ]
        for (key, value) in expected {
            errors += hasLabelErrors(labels, metadataPath, key, value)
        }
        if let selector = SelectorValidation.selector(selectorJSON), !selector.matches(Dictionary(uniqueKeysWithValues: expected)) {
            errors.append(FieldError(FieldPath("spec", "selector"), .invalid(value: .raw(GoSyntax.labelSelector(selectorJSON)), detail: "`selector` not auto-generated")))
        }
        return errors
    }

    /// `ValidateHasLabel`.
    private static func hasLabelErrors(_ labels: JSONValue?, _ path: FieldPath, _ key: String, _ expected: String) -> [FieldError] {
        guard let actual = labels?[key]?.string else {
            return [FieldError(path.child("labels").key(key), .required(detail: "must be '\(expected)'"))]
        }
        guard actual == expected else {
            return [FieldError(path.child("labels").key(key), .invalid(value: .raw(GoSyntax.stringMap(labels)), detail: "must be '\(expected)'"))]
        }
        return []
    }

    /// `ValidateJobUpdate` without the metadata checks: the new spec again, then the fields that
    /// may not change.
    static func updateErrors(_ job: JSONValue, _ old: JSONValue) -> [FieldError] {
        let spec = job["spec"], oldSpec = old["spec"]
        let path = FieldPath("spec")
        var errors = specErrors(spec)
        errors += completionsErrors(spec, oldSpec, path.child("completions"))
        errors += FieldChecks.immutable(spec?["selector"], oldSpec?["selector"], path.child("selector"),
                                       shown: .raw(GoSyntax.labelSelector(spec?["selector"])))
        errors += templateErrors(job, old)
        for field in ["completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy"] {
            errors += FieldChecks.immutable(spec?[field], oldSpec?[field], path.child(field), shown: shown(spec?[field]))
        }
        return errors
    }

    /// `validateCompletions`: fixed, except that an Indexed Job may change it together with
    /// parallelism (elastic Indexed Jobs, GA in 1.31).
    private static func completionsErrors(_ spec: JSONValue?, _ oldSpec: JSONValue?, _ path: FieldPath) -> [FieldError] {
        let completions = spec?["completions"], oldCompletions = oldSpec?["completions"]
        guard spec?["completionMode"]?.string == "Indexed" else {
            return FieldChecks.immutable(completions, oldCompletions, path, shown: shown(completions))
        }
        guard !FieldChecks.semanticallyEqual(completions, oldCompletions), let value = completions?.int else { return [] }
        if value != spec?["parallelism"]?.int {
            return [FieldError(path, .invalid(value: .int(value), detail: "can only be modified in tandem with spec.parallelism"))]
        }
        return []
    }

    /// `validatePodTemplateUpdate`: the template is fixed, except that a suspended Job that
    /// never started may change its scheduling directives (node affinity, node selector,
    /// tolerations, scheduling gates, labels and annotations).
    private static func templateErrors(_ job: JSONValue, _ old: JSONValue) -> [FieldError] {
        let template = job["spec"]?["template"]
        var oldTemplate = old["spec"]?["template"]
        let neverStarted = JobSpecValidation.set(old["status"]?["startTime"]) == nil
        if old["spec"]?["suspend"]?.bool == true, neverStarted, var masked = oldTemplate {
            masked["metadata"]?["labels"] = template?["metadata"]?["labels"]
            masked["metadata"]?["annotations"] = template?["metadata"]?["annotations"]
            for field in ["nodeSelector", "tolerations", "schedulingGates"] {
                masked["spec"]?[field] = template?["spec"]?[field]
            }
            var affinity = JSONValue.objectOrEmpty(masked["spec"]?["affinity"])
            affinity["nodeAffinity"] = template?["spec"]?["affinity"]?["nodeAffinity"]
            masked["spec"]?["affinity"] = affinity
            oldTemplate = masked
        }
        return FieldChecks.immutable(template, oldTemplate, FieldPath("spec", "template"), shown: .raw("core.PodTemplateSpec{…}"))
    }

    /// A pointer field's value as `field.Error` prints what it points to.
    private static func shown(_ value: JSONValue?) -> GoValue {
        guard let value, !value.isNull else { return .null }
        switch value {
        case .object, .array: return .raw("…")
        default: return GoValue(value)
        }
    }
}
