/// `validateJobSpec` (pkg/apis/batch/validation): the parts of a JobSpec shared by a Job and a
/// CronJob's job template: counts, completion mode, replacement policy, the pod template and
/// its restart policy.
enum JobSpecValidation {
    /// The maximum parallelism of an Indexed Job.
    static let maxParallelismForIndexedJob = 100_000
    /// The maximum maxFailedIndexes of an Indexed Job.
    static let maxFailedIndexesForIndexedJob = 100_000

    /// The errors of `spec` at `path` (`spec`, or `spec.jobTemplate.spec`).
    static func errors(_ spec: JSONValue?, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for field in ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished", "backoffLimitPerIndex"] {
            errors += FieldChecks.nonNegative(spec?[field], path.child(field))
        }
        let perIndex = set(spec?["backoffLimitPerIndex"])
        let maxFailed = set(spec?["maxFailedIndexes"])
        if let maxFailed {
            errors += FieldChecks.nonNegative(maxFailed, path.child("maxFailedIndexes"))
            if perIndex == nil {
                errors.append(FieldError(path.child("backoffLimitPerIndex"), .required(detail: "when maxFailedIndexes is specified")))
            }
        }
        if let managedBy = spec?["managedBy"]?.string {
            errors += managedByErrors(managedBy, path.child("managedBy"))
        }
        let mode = spec?["completionMode"]?.string
        if let mode {
            if mode != "NonIndexed", mode != "Indexed" {
                errors.append(FieldError(path.child("completionMode"), .notSupported(value: .string(mode), supported: ["NonIndexed", "Indexed"])))
            }
            if mode == "Indexed" {
                errors += indexedErrors(spec, path)
            }
        }
        if mode == nil || mode == "NonIndexed" {
            if let perIndex {
                errors.append(FieldError(path.child("backoffLimitPerIndex"), .invalid(value: GoValue(perIndex), detail: "requires indexed completion mode")))
            }
            if let maxFailed {
                errors.append(FieldError(path.child("maxFailedIndexes"), .invalid(value: GoValue(maxFailed), detail: "requires indexed completion mode")))
            }
        }
        let failurePolicy = set(spec?["podFailurePolicy"])
        if let replacement = spec?["podReplacementPolicy"]?.string {
            if failurePolicy != nil {
                if replacement != "Failed" {
                    errors.append(FieldError(path.child("podReplacementPolicy"), .notSupported(value: .string(replacement), supported: ["Failed"])))
                }
            } else if replacement != "Failed", replacement != "TerminatingOrFailed" {
                errors.append(FieldError(path.child("podReplacementPolicy"), .notSupported(value: .string(replacement), supported: ["Failed", "TerminatingOrFailed"])))
            }
        }
        let template = spec?["template"]
        errors += PodTemplateValidation.errors(template, path: path.child("template"))
        let restartPolicy = template?["spec"]?["restartPolicy"]?.string ?? ""
        let restartPath = path.child("template", "spec", "restartPolicy")
        if restartPolicy == "Always" || restartPolicy.isEmpty {
            errors.append(FieldError(restartPath, .required(detail: "valid values: \"OnFailure\", \"Never\"")))
        } else if restartPolicy != "OnFailure", restartPolicy != "Never" {
            errors.append(FieldError(restartPath, .notSupported(value: .string(restartPolicy), supported: ["OnFailure", "Never"])))
        } else if failurePolicy != nil, restartPolicy != "Never" {
            errors.append(FieldError(restartPath, .invalid(value: .string(restartPolicy), detail: "only \"Never\" is supported when podFailurePolicy is specified")))
        }
        return errors
    }

    /// The Indexed completion mode's limits.
    private static func indexedErrors(_ spec: JSONValue?, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let completions = spec?["completions"]?.int
        if completions == nil {
            errors.append(FieldError(path.child("completions"), .required(detail: "when completion mode is Indexed")))
        }
        if let parallelism = spec?["parallelism"]?.int, parallelism > maxParallelismForIndexedJob {
            errors.append(FieldError(path.child("parallelism"), .invalid(value: .int(parallelism), detail: "must be less than or equal to \(maxParallelismForIndexedJob) when completion mode is Indexed")))
        }
        if let maxFailed = spec?["maxFailedIndexes"]?.int {
            if let completions, maxFailed > completions {
                errors.append(FieldError(path.child("maxFailedIndexes"), .invalid(value: .int(maxFailed), detail: "must be less than or equal to completions")))
            }
            if maxFailed > maxFailedIndexesForIndexedJob {
                errors.append(FieldError(path.child("maxFailedIndexes"), .invalid(value: .int(maxFailed), detail: "must be less than or equal to \(maxFailedIndexesForIndexedJob)")))
            }
        }
        return errors
    }

    /// `IsDomainPrefixedPath` of `spec.managedBy` (its 63-character limit is not checked: the
    /// framework has no `TooLongMaxLength` wording yet).
    private static func managedByErrors(_ value: String, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let parts = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count != 2 {
            errors.append(FieldError(path, .invalid(value: .string(value), detail: "must be a domain-prefixed path (such as \"acme.io/foo\")")))
        } else {
            let host = String(parts[0])
            if let problem = NameValidation.dnsSubdomainProblem(host) {
                errors.append(FieldError(path, .invalid(value: .string(host), detail: problem)))
            }
            let segment = String(parts[1])
            if segment.range(of: "^[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+$", options: .regularExpression) == nil {
                errors.append(FieldError(path, .invalid(value: .string(segment), detail: "Invalid path")))
            }
        }
        return errors
    }

    /// A member that is present and not null.
    static func set(_ value: JSONValue?) -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        return value
    }
}
