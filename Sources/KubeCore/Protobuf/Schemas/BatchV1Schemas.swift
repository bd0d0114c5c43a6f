/// k8s.io/api/batch/v1 messages: Job, CronJob and the policies a JobSpec holds.
enum BatchV1Schemas {
    static let messages: [MessageSchema] = [
        MessageSchema("Job", [
            .field(1, "metadata", .message("ObjectMeta")),
            .field(2, "spec", .message("JobSpec")),
            .field(3, "status", .message("JobStatus")),
        ]),
        MessageSchema("JobSpec", [
            .field(1, "parallelism", .int32, .keep),
            .field(2, "completions", .int32, .keep),
            .field(3, "activeDeadlineSeconds", .int64, .keep),
            .field(11, "podFailurePolicy", .message("PodFailurePolicy")),
            .field(16, "successPolicy", .message("SuccessPolicy")),
            .field(7, "backoffLimit", .int32, .keep),
            .field(12, "backoffLimitPerIndex", .int32, .keep),
            .field(13, "maxFailedIndexes", .int32, .keep),
            .field(4, "selector", .message("LabelSelector")),
            .field(5, "manualSelector", .bool, .keep),
            .field(6, "template", .message("PodTemplateSpec")),
            .field(8, "ttlSecondsAfterFinished", .int32, .keep),
            .field(9, "completionMode", .string, .keep),
            .field(10, "suspend", .bool, .keep),
            .field(14, "podReplacementPolicy", .string, .keep),
            .field(15, "managedBy", .string, .keep),
        ]),
        MessageSchema("JobStatus", [
            .list(1, "conditions", .message("JobCondition")),
            .field(2, "startTime", .time),
            .field(3, "completionTime", .time),
            .field(4, "active", .int32),
            .field(5, "succeeded", .int32),
            .field(6, "failed", .int32),
            .field(11, "terminating", .int32, .keep),
            .field(7, "completedIndexes", .string),
            .field(10, "failedIndexes", .string, .keep),
            .field(8, "uncountedTerminatedPods", .message("UncountedTerminatedPods")),
            .field(9, "ready", .int32, .keep),
        ]),
        MessageSchema.condition("JobCondition", timestamps: ["lastProbeTime", "lastTransitionTime"]),
        MessageSchema("UncountedTerminatedPods", [
            .list(1, "succeeded", .string),
            .list(2, "failed", .string),
        ]),
        MessageSchema("PodFailurePolicy", [
            .list(1, "rules", .message("PodFailurePolicyRule")),
        ]),
        MessageSchema("PodFailurePolicyRule", [
            .field(1, "action", .string, .keep),
            .field(2, "onExitCodes", .message("PodFailurePolicyOnExitCodesRequirement")),
            .list(3, "onPodConditions", .message("PodFailurePolicyOnPodConditionsPattern")),
        ]),
        MessageSchema("PodFailurePolicyOnExitCodesRequirement", [
            .field(1, "containerName", .string, .keep),
            .field(2, "operator", .string, .keep),
            .list(3, "values", .int32),
        ]),
        MessageSchema("PodFailurePolicyOnPodConditionsPattern", [
            .field(1, "type", .string, .keep),
            .field(2, "status", .string),
        ]),
        MessageSchema("SuccessPolicy", [
            .list(1, "rules", .message("SuccessPolicyRule")),
        ]),
        MessageSchema("SuccessPolicyRule", [
            .field(1, "succeededIndexes", .string, .keep),
            .field(2, "succeededCount", .int32, .keep),
        ]),
        MessageSchema("CronJob", [
            .field(1, "metadata", .message("ObjectMeta")),
            .field(2, "spec", .message("CronJobSpec")),
            .field(3, "status", .message("CronJobStatus")),
        ]),
        MessageSchema("CronJobSpec", [
            .field(1, "schedule", .string, .keep),
            .field(8, "timeZone", .string, .keep),
            .field(2, "startingDeadlineSeconds", .int64, .keep),
            .field(3, "concurrencyPolicy", .string),
            .field(4, "suspend", .bool, .keep),
            .field(5, "jobTemplate", .message("JobTemplateSpec")),
            .field(6, "successfulJobsHistoryLimit", .int32, .keep),
            .field(7, "failedJobsHistoryLimit", .int32, .keep),
        ]),
        MessageSchema("JobTemplateSpec", [
            .field(1, "metadata", .message("ObjectMeta")),
            .field(2, "spec", .message("JobSpec")),
        ]),
        MessageSchema("CronJobStatus", [
            .list(1, "active", .message("ObjectReference")),
            .field(4, "lastScheduleTime", .time),
            .field(5, "lastSuccessfulTime", .time),
        ]),
    ]
}
