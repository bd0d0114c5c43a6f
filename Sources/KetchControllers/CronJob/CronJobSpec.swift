import Foundation
import KubeCore

/// A CronJob as the controller reads it, with the apiserver's `SetDefaults_CronJob` applied to
/// absent fields (`Allow`, not suspended, 3 successful and 1 failed Job kept).
public struct CronJobSpec: Sendable, Equatable {
    /// `metadata.name`.
    public var name: String
    /// `metadata.namespace`.
    public var namespace: String
    /// `spec.schedule`.
    public var schedule: String
    /// `spec.timeZone`.
    public var timeZone: String?
    /// `spec.startingDeadlineSeconds`.
    public var startingDeadlineSeconds: Int?
    /// `spec.concurrencyPolicy`: `Allow`, `Forbid` or `Replace`.
    public var concurrencyPolicy: String
    /// `spec.suspend`.
    public var suspended: Bool
    /// `spec.successfulJobsHistoryLimit`.
    public var successfulJobsHistoryLimit: Int
    /// `spec.failedJobsHistoryLimit`.
    public var failedJobsHistoryLimit: Int
    /// `metadata.creationTimestamp`.
    public var creationTime: Date
    /// `status.lastScheduleTime`.
    public var lastScheduleTime: Date?
    /// Whether `metadata.deletionTimestamp` is set.
    public var beingDeleted: Bool

    /// Reads `cronJob`.
    public init(_ cronJob: JSONValue) {
        let spec = cronJob["spec"]
        name = ObjectMetadata.name(cronJob)
        namespace = ObjectMetadata.namespace(cronJob)
        schedule = spec?["schedule"]?.string ?? ""
        timeZone = spec?["timeZone"]?.string
        startingDeadlineSeconds = spec?["startingDeadlineSeconds"]?.int
        concurrencyPolicy = spec?["concurrencyPolicy"]?.string ?? "Allow"
        suspended = spec?["suspend"]?.bool ?? false
        successfulJobsHistoryLimit = spec?["successfulJobsHistoryLimit"]?.int ?? 3
        failedJobsHistoryLimit = spec?["failedJobsHistoryLimit"]?.int ?? 1
        creationTime = PodReadiness.creationTime(cronJob) ?? Date(timeIntervalSince1970: 0)
        lastScheduleTime = cronJob["status"]?["lastScheduleTime"]?.string.flatMap(KubeTime.parse)
        beingDeleted = ObjectMetadata.isDeleting(cronJob)
    }

    /// The schedule text handed to the parser (`formatSchedule`): a `timeZone` that loads
    /// becomes a `TZ=` prefix, unless the schedule names a zone itself.
    public var effectiveSchedule: String {
        if schedule.contains("TZ") { return schedule }
        if let timeZone, CronTimeZone.load(timeZone) != nil { return "TZ=\(timeZone) \(schedule)" }
        return schedule
    }

    /// The name of the Job for `scheduledTime`: `<cronjob>-<minutes since the epoch>`, so a
    /// second attempt at the same time finds the first (`getJobName`).
    public func jobName(for scheduledTime: Date) -> String {
        "\(name)-\(Int(scheduledTime.timeIntervalSince1970.rounded(.down)) / 60)"
    }
}
