/// The defaults of batch/v1 (`SetDefaults_Job`, `SetDefaults_CronJob`), and the selector and
/// labels the Job strategy generates on create (`generateSelector`).
public enum BatchDefaults {
    /// `batch.kubernetes.io/controller-uid`: the label that ties a Job's pods to it.
    public static let controllerUIDLabel = "batch.kubernetes.io/controller-uid"
    /// `batch.kubernetes.io/job-name`.
    public static let jobNameLabel = "batch.kubernetes.io/job-name"
    /// The label names before the `batch.kubernetes.io/` prefix, still written beside them.
    static let legacyControllerUIDLabel = "controller-uid"
    static let legacyJobNameLabel = "job-name"

    /// A Job: completions and parallelism 1 when both are unset, backoff limit 6 (unlimited
    /// with a per-index limit), NonIndexed, not suspended, pods replaced once terminating or
    /// failed (failed only, with a pod failure policy), no manual selector, and the template's
    /// labels as its own when it has none.
    public static func job(_ input: JSONValue) -> JSONValue {
        var object = WorkloadDefaults.changingSpec(input) { spec in
            if JSONValue.isUnset(spec["completions"]), JSONValue.isUnset(spec["parallelism"]) {
                spec["completions"] = .integer(1)
            }
            spec.setDefault("parallelism", .integer(1))
            let perIndex = !JSONValue.isUnset(spec["backoffLimitPerIndex"])
            spec.setDefault("backoffLimit", .integer(perIndex ? Int(Int32.max) : 6))
            spec.setDefault("completionMode", .string("NonIndexed"))
            spec.setDefault("suspend", .bool(false))
            let failurePolicy = !JSONValue.isUnset(spec["podFailurePolicy"])
            spec.modify("podFailurePolicy") { policy in
                policy.modifyEach("rules") { rule in
                    rule.modifyEach("onPodConditions") { $0.setDefault("status", .string("True")) }
                }
            }
            spec.setDefault("podReplacementPolicy", .string(failurePolicy ? "Failed" : "TerminatingOrFailed"))
            spec.setDefault("manualSelector", .bool(false))
        }
        copyTemplateLabels(&object)
        return object
    }

    /// A CronJob: concurrency Allow, not suspended, three successful and one failed Job kept;
    /// its job template's pod template defaulted.
    public static func cronJob(_ input: JSONValue) -> JSONValue {
        var object = input
        var spec = JSONValue.objectOrEmpty(object["spec"])
        spec.setDefault("concurrencyPolicy", .string("Allow"))
        spec.setDefault("suspend", .bool(false))
        spec.setDefault("successfulJobsHistoryLimit", .integer(3))
        spec.setDefault("failedJobsHistoryLimit", .integer(1))
        var jobTemplate = JSONValue.objectOrEmpty(spec["jobTemplate"])
        jobTemplate["spec"] = WorkloadDefaults.withTemplate(jobTemplate["spec"])
        spec["jobTemplate"] = jobTemplate
        object["spec"] = spec
        return object
    }

    /// The Job strategy's `generateSelector`, unless the Job asks for a manual selector: the
    /// template gets the job-name and controller-uid labels (both spellings, unless set), the
    /// selector matches `batch.kubernetes.io/controller-uid`. A conflicting value the user set is
    /// left for validation to refuse. The Job's own labels then follow the template's as
    /// defaulting makes them when the object is read back.
    public static func generatingSelector(_ input: JSONValue) -> JSONValue {
        guard input["spec"]?["manualSelector"]?.bool != true else { return input }
        let name = input["metadata"]?["name"] ?? .string("")
        let uid = input["metadata"]?["uid"] ?? .string("")
        var object = input
        var spec = WorkloadDefaults.withTemplate(object["spec"])
        var template = spec["template"] ?? .object([:])
        var metadata = template["metadata"] ?? .object([:])
        var labels = metadata["labels"]?.object ?? [:]
        for key in [legacyJobNameLabel, jobNameLabel] where labels[key] == nil { labels[key] = name }
        for key in [legacyControllerUIDLabel, controllerUIDLabel] where labels[key] == nil { labels[key] = uid }
        metadata["labels"] = .object(labels)
        template["metadata"] = metadata
        spec["template"] = template
        var selector = JSONValue.objectOrEmpty(spec["selector"])
        var matchLabels = selector["matchLabels"]?.object ?? [:]
        if matchLabels[controllerUIDLabel] == nil { matchLabels[controllerUIDLabel] = uid }
        selector["matchLabels"] = .object(matchLabels)
        spec["selector"] = selector
        object["spec"] = spec
        copyTemplateLabels(&object)
        return object
    }

    /// `SetDefaults_Job`'s labels: a Job without labels takes its template's.
    private static func copyTemplateLabels(_ object: inout JSONValue) {
        guard let labels = object["spec"]?["template"]?["metadata"]?["labels"], labels.object != nil,
              object["metadata"]?["labels"]?.object?.isEmpty ?? true else { return }
        object["metadata"]?["labels"] = labels
    }
}
