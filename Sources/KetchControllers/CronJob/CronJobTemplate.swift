import Foundation
import KubeCore

/// The Jobs a CronJob starts (`getJobFromTemplate2`) and the references its status keeps.
public enum CronJobTemplate {
    /// `batch.kubernetes.io/cronjob-scheduled-timestamp`: the schedule time a Job ran for.
    public static let scheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp"

    /// The Job for `scheduledTime`: the template's labels, annotations and spec, the scheduled
    /// time (RFC 3339, in `spec.timeZone`) as an annotation, a deterministic name and a
    /// controller reference to the CronJob.
    public static func job(for cronJob: JSONValue, scheduledTime: Date) -> JSONValue {
        let spec = CronJobSpec(cronJob)
        let template = cronJob["spec"]?["jobTemplate"]
        var annotations = template?["metadata"]?["annotations"]?.object ?? [:]
        let zone = CronTimeZone.load(spec.timeZone ?? "") ?? CronTimeZone.utc
        annotations[scheduledTimestampAnnotation] = .string(CronTimeZone.rfc3339(scheduledTime, in: zone))
        var metadata: [String: JSONValue] = [
            "name": .string(spec.jobName(for: scheduledTime)),
            "namespace": .string(spec.namespace),
            "annotations": .object(annotations),
            "ownerReferences": .array([OwnerReferences.controller(for: cronJob, type: BuiltinResources.cronJobs)]),
        ]
        if let labels = template?["metadata"]?["labels"]?.object, !labels.isEmpty { metadata["labels"] = .object(labels) }
        return .object([
            "apiVersion": .string(BuiltinResources.jobs.apiVersion),
            "kind": .string("Job"),
            "metadata": .object(metadata),
            "spec": template?["spec"] ?? .object([:]),
        ])
    }

    /// The `ObjectReference` to `job` that `status.active` holds (`ref.GetReference`).
    public static func reference(to job: JSONValue) -> JSONValue {
        var fields: [String: JSONValue] = [
            "apiVersion": .string(BuiltinResources.jobs.apiVersion),
            "kind": .string("Job"),
            "name": .string(ObjectMetadata.name(job)),
            "namespace": .string(ObjectMetadata.namespace(job)),
            "uid": .string(ObjectMetadata.uid(job)),
        ]
        if let version = job["metadata"]?["resourceVersion"]?.string { fields["resourceVersion"] = .string(version) }
        return .object(fields)
    }
}
