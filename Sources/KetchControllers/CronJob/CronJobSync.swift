import Foundation
import KubeCore

/// One sync of a CronJob, as kube-controller-manager 1.33's `cronjob-controller` (`syncCronJob`
/// and `cleanupFinishedJobs`): note finished and vanished Jobs, keep the history within its
/// limits, and start the Job a schedule time calls for, as its concurrency policy allows.
///
/// The steps are pure; a reconciler runs the API calls between them: ``historyToDelete(_:)``
/// then ``deleted(_:)`` for each Job removed, ``plan(jobs:gone:)``, and for a ``Step/start``
/// the deletions it replaces then ``started(_:at:alreadyExisted:)``.
public struct CronJobSync: Sendable {
    /// What the sync asks for beyond status changes.
    public enum Step: Sendable, Equatable {
        /// Nothing to start.
        case none
        /// Create `job` for `scheduledTime`, after deleting the Jobs of `replacing` (active
        /// references, for `concurrencyPolicy: Replace`).
        case start(job: JSONValue, scheduledTime: Date, replacing: [JSONValue])
    }

    /// The sync's clock reading.
    public let now: Date
    /// The CronJob's spec, defaulted.
    public let spec: CronJobSpec
    /// The CronJob, with the status as this sync has edited it.
    public private(set) var cronJob: JSONValue
    /// Whether the status changed and must be written.
    public private(set) var statusChanged = false
    /// Events to record.
    public private(set) var events: [PlannedEvent] = []
    /// When to look again: just after the next schedule time. Nil: on the next change.
    public private(set) var requeueAfter: Duration?
    var schedule: CronSchedule?

    /// A sync of `cronJob` at `now`.
    public init(cronJob: JSONValue, now: Date) {
        self.now = now
        self.spec = CronJobSpec(cronJob)
        self.cronJob = cronJob
    }

    /// `status.active`: references to the Jobs running.
    public var active: [JSONValue] { cronJob["status"]?["active"]?.array ?? [] }

    /// The finished Jobs beyond `successfulJobsHistoryLimit` and `failedJobsHistoryLimit`,
    /// oldest first by start time (`removeOldestJobs`).
    public func historyToDelete(_ jobs: [JSONValue]) -> [JSONValue] {
        let successful = jobs.filter { JobConditions.finishedType($0) == JobWellKnown.Condition.complete }
        let failed = jobs.filter { JobConditions.finishedType($0) == JobWellKnown.Condition.failed }
        return Self.oldest(successful, keeping: spec.successfulJobsHistoryLimit)
            + Self.oldest(failed, keeping: spec.failedJobsHistoryLimit)
    }

    /// All but the `keeping` most recently started of `jobs`; Jobs not started yet count as
    /// newest, ties go by name (`byJobStartTime`).
    static func oldest(_ jobs: [JSONValue], keeping limit: Int) -> [JSONValue] {
        let excess = jobs.count - max(0, limit)
        guard excess > 0 else { return [] }
        let sorted = jobs.sorted { a, b in
            let startA = a["status"]?["startTime"]?.string.flatMap(KubeTime.parse)
            let startB = b["status"]?["startTime"]?.string.flatMap(KubeTime.parse)
            switch (startA, startB) {
            case (nil, .some): return false
            case (.some, nil): return true
            case let (x, y) where x == y: return ObjectMetadata.name(a) < ObjectMetadata.name(b)
            case let (x?, y?): return x < y
            default: return false
            }
        }
        return Array(sorted.prefix(excess))
    }

    /// A Job was deleted (history clean-up, or replaced): it leaves the active list.
    public mutating func deleted(_ job: JSONValue) {
        removeActive(uid: ObjectMetadata.uid(job))
        events.append(.normal("SuccessfulDelete", "Deleted job \(ObjectMetadata.name(job))"))
    }

    /// A Job could not be deleted.
    public mutating func deleteFailed(_ message: String) {
        events.append(.warning("FailedDelete", "Deleted job: \(message)"))
    }

    /// Records an event that an API call produced (a failed create or get).
    public mutating func note(_ event: PlannedEvent) {
        events.append(event)
    }

    /// Notes finished Jobs (`SawCompletedJob`, `lastSuccessfulTime`), unexpected ones, and active
    /// ones gone (`gone`: uids of active references the apiserver no longer has); then decides
    /// whether a schedule time calls for a new Job. `jobs` are those the CronJob controls.
    public mutating func plan(jobs: [JSONValue], gone: Set<String>) -> Step {
        observe(jobs)
        let children = Set(jobs.map(ObjectMetadata.uid))
        for ref in active {
            let uid = ref["uid"]?.string ?? ""
            guard !children.contains(uid), gone.contains(uid) else { continue }
            events.append(.normal("MissingJob", "Active job went missing: \(ref["name"]?.string ?? "")"))
            removeActive(uid: uid)
        }
        guard !spec.beingDeleted else { return .none }
        if let zone = spec.timeZone, CronTimeZone.load(zone) == nil {
            events.append(.warning("UnknownTimeZone", "invalid timeZone: \(goQuoted(zone)): unknown time zone \(zone)"))
            return .none
        }
        guard !spec.suspended else { return .none }
        if spec.schedule.contains("TZ") {
            events.append(.warning("UnsupportedSchedule", "CRON_TZ or TZ used in schedule \(goQuoted(spec.schedule)) is not "
                + "officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details"))
        }
        let schedule: CronSchedule
        do {
            schedule = try CronSchedule(parsing: spec.effectiveSchedule)
        } catch {
            events.append(.warning("UnparseableSchedule", "unparseable schedule: \(goQuoted(spec.schedule)) : \(error)"))
            return .none
        }
        self.schedule = schedule
        return decide(schedule)
    }

    /// The start decision, once the schedule parses.
    mutating func decide(_ schedule: CronSchedule) -> Step {
        let due: Date?
        do {
            let (time, tooMany) = try CronJobTiming.due(spec, now: now, schedule: schedule)
            if tooMany {
                events.append(.warning("TooManyMissedTimes",
                                       "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"))
            }
            due = time
        } catch {
            events.append(.warning("InvalidSchedule", "invalid schedule: \(spec.schedule) : \(error)"))
            return .none
        }
        requeueAtNextSchedule()
        guard let scheduled = due else { return .none }
        if let deadline = spec.startingDeadlineSeconds, scheduled.addingTimeInterval(TimeInterval(deadline)) < now {
            events.append(.warning("MissSchedule", "Missed scheduled time to start a job: \(CronTimeZone.rfc1123Z(scheduled))"))
            return .none
        }
        let name = spec.jobName(for: scheduled)
        if active.contains(where: { $0["name"]?.string == name }) || spec.lastScheduleTime == scheduled {
            return .none
        }
        if spec.concurrencyPolicy == "Forbid", !active.isEmpty {
            events.append(.normal("JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid"))
            return .none
        }
        let replacing = spec.concurrencyPolicy == "Replace" ? active : []
        return .start(job: CronJobTemplate.job(for: cronJob, scheduledTime: scheduled), scheduledTime: scheduled,
                      replacing: replacing)
    }

    /// The Job for `scheduledTime` exists now (`alreadyExisted`: someone, maybe an earlier
    /// attempt, had made it): it joins the active list and becomes `lastScheduleTime`.
    public mutating func started(_ job: JSONValue, at scheduledTime: Date, alreadyExisted: Bool = false) {
        if !alreadyExisted {
            events.append(.normal("SuccessfulCreate", "Created job \(ObjectMetadata.name(job))"))
        }
        setStatus("active", .array(active + [CronJobTemplate.reference(to: job)]))
        setStatus("lastScheduleTime", .string(KubeTime.rfc3339(scheduledTime)))
        requeueAtNextSchedule()
    }

    /// Finished Jobs leave the active list; the latest success sets `lastSuccessfulTime`. An
    /// unfinished Job the active list does not know is reported, not adopted.
    mutating func observe(_ jobs: [JSONValue]) {
        for job in jobs {
            let uid = ObjectMetadata.uid(job)
            let listed = active.contains { $0["uid"]?.string == uid }
            guard let finished = JobConditions.finishedType(job) else {
                if !listed {
                    events.append(.warning("UnexpectedJob",
                                           "Saw a job that the controller did not create or forgot: \(ObjectMetadata.name(job))"))
                }
                continue
            }
            if listed {
                removeActive(uid: uid)
                events.append(.normal("SawCompletedJob", "Saw completed job: \(ObjectMetadata.name(job)), condition: \(finished)"))
            }
            guard finished == JobWellKnown.Condition.complete else { continue }
            let completion = job["status"]?["completionTime"]
            let last = cronJob["status"]?["lastSuccessfulTime"]?.string.flatMap(KubeTime.parse)
            if last == nil {
                setStatus("lastSuccessfulTime", completion)
            } else if let time = completion?.string.flatMap(KubeTime.parse), let last, time > last {
                setStatus("lastSuccessfulTime", completion)
            }
        }
    }

    mutating func removeActive(uid: String) {
        let kept = active.filter { $0["uid"]?.string != uid }
        guard kept.count != active.count else { return }
        setStatus("active", .array(kept))
    }

    /// Sets a status field (dropping empty lists and nulls, as Go's omitempty) and marks the
    /// status changed.
    mutating func setStatus(_ field: String, _ value: JSONValue?) {
        var status = cronJob["status"]?.object ?? [:]
        status[field] = (value == .array([]) || value == .null) ? nil : value
        cronJob["status"] = .object(status)
        statusChanged = true
    }

    /// Looks again just after the next schedule time.
    mutating func requeueAtNextSchedule() {
        guard let schedule else { return }
        requeueAfter = CronJobTiming.untilNext(CronJobSpec(cronJob), now: now, schedule: schedule).map { max($0, .zero) }
    }
}
