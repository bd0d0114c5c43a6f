import Foundation
import KubeCore

/// One sync of a Job, as kube-controller-manager 1.33's `syncJob` (JobPodReplacementPolicy,
/// JobManagedBy and JobSuccessPolicy on): count the pods, decide on a terminal condition, make
/// or remove pods, and track finished pods through `status.uncountedTerminatedPods` and the
/// `batch.kubernetes.io/job-tracking` finalizer so none is counted twice.
///
/// The steps are pure; a reconciler runs the API calls between them:
/// 1. ``plan()`` — the pods to create or delete;
/// 2. ``record(_:)`` — what those calls achieved; sets `active`, `ready`, `terminating`;
/// 3. ``track()`` — the status to write before finalizers come off, and the pods to release;
/// 4. ``flushed(_:)`` — the object the status write returned;
/// 5. ``complete(released:failed:)`` — the final status (counters, `Complete`/`Failed`).
///
/// Not modelled: pod failure policies, success policies, backoffLimitPerIndex and adoption of
/// orphan pods.
public struct JobSync: Sendable {
    /// The sync's clock reading.
    public let now: Date
    /// The Job's spec, defaulted.
    public let spec: JobSpec
    /// The Job, with the status as this sync has edited it so far.
    public internal(set) var job: JSONValue
    /// The pods the Job controls.
    public let pods: [JSONValue]
    /// Events to record once the sync's writes have gone through.
    public internal(set) var events: [PlannedEvent] = []
    /// When to look again (an active deadline, a pod-failure back-off); nil: on the next change.
    public internal(set) var requeueAfter: Duration?
    /// Whether the sync does nothing (finished, managed elsewhere, unknown completion mode).
    public internal(set) var skipped = false
    /// Pods whose tracking finalizer comes off after the ``track()`` write.
    public internal(set) var podsToRelease: [JSONValue] = []

    let activePods: [JSONValue]
    let oldStatus: JSONValue
    var status: [String: JSONValue]
    /// `status.uncountedTerminatedPods` as read: the membership tests of the tracking step.
    let uncountedAtStart: (succeeded: Set<String>, failed: Set<String>)
    var uncountedSucceeded: [String]
    var uncountedFailed: [String]
    var succeeded = 0
    var failed = 0
    var active = 0
    var ready = 0
    var terminating = 0
    var previousIndexes = CompletionIntervals()
    var succeededIndexes = CompletionIntervals()
    /// The terminal condition reached, if any: interim (`SuccessCriteriaMet`, `FailureTarget`)
    /// until ``track()``, final (`Complete`, `Failed`) after it.
    var finishedCondition: JSONValue?
    var manageJobCalled = false
    var deletingForFinish = false
    var needsFlush = false
    var withFinalizer: Set<String> = []
    var reachedMaxUncounted = false

    /// A sync of `job` over `pods` (those whose controller is the Job) at `now`.
    public init(job: JSONValue, pods: [JSONValue], now: Date) {
        self.now = now
        self.spec = JobSpec(job)
        self.job = job
        self.pods = pods
        self.activePods = pods.filter(PodReadiness.isActive)
        self.oldStatus = job["status"] ?? .object([:])
        self.status = job["status"]?.object ?? [:]
        let uncounted = job["status"]?["uncountedTerminatedPods"]
        uncountedSucceeded = (uncounted?["succeeded"]?.array ?? []).compactMap(\.string)
        uncountedFailed = (uncounted?["failed"]?.array ?? []).compactMap(\.string)
        uncountedAtStart = (Set(uncountedSucceeded), Set(uncountedFailed))
    }

    /// The terminal condition this sync has reached so far, if any.
    public var terminalCondition: JSONValue? { finishedCondition }

    /// Step 1: counts the pods, decides on a terminal condition and returns the pod changes.
    public mutating func plan() -> JobPodActions {
        if JobConditions.finishedType(job) != nil || spec.managedElsewhere {
            skipped = true
            return JobPodActions()
        }
        guard spec.knownCompletionMode else {
            events.append(.warning("UnknownCompletionMode", "Skipped Job sync because completion mode is unknown"))
            skipped = true
            return JobPodActions()
        }
        countPods()
        if isNull(status["startTime"]), !spec.suspended {
            status["startTime"] = .string(KubeTime.rfc3339(now))
        }
        decideTerminalCondition()
        if spec.isIndexed {
            let completions = spec.completions ?? 0
            previousIndexes = CompletionIntervals(parsing: status["completedIndexes"]?.string ?? "", completions: completions)
            let fresh = Set(pods.compactMap { pod -> Int? in
                guard JobPodState.isSucceeded(pod), JobPodState.hasTrackingFinalizer(pod),
                      let index = JobPodState.completionIndex(pod), index < completions else { return nil }
                return index
            })
            succeededIndexes = previousIndexes.adding(fresh.sorted())
            succeeded = succeededIndexes.total
        }
        if finishedCondition != nil {
            deletingForFinish = true
            var actions = JobPodActions()
            actions.delete = activePods
            return actions
        }
        guard !spec.beingDeleted else { return JobPodActions() }
        manageJobCalled = true
        return manage()
    }

    /// Counts active, ready, terminating, succeeded and failed pods, the finished ones not yet
    /// in the status included.
    mutating func countPods() {
        active = activePods.count
        ready = activePods.filter(PodReadiness.isReady).count
        terminating = pods.filter(JobPodState.isTerminating).count
        let newSucceeded = uncountedCandidates(excluding: uncountedAtStart.succeeded, JobPodState.isSucceeded)
        let newFailed = uncountedCandidates(excluding: uncountedAtStart.failed) { [spec] in
            JobPodState.isFailed($0, onlyReplaceFailedPods: spec.onlyReplaceFailedPods)
        }
        succeeded = (status["succeeded"]?.int ?? 0) + newSucceeded.count + uncountedSucceeded.count
        failed = (status["failed"]?.int ?? 0) + newFailed.count + uncountedFailed.count
    }

    /// Pods still holding the finalizer, not already listed as uncounted, with a valid index in
    /// an Indexed Job, that pass `filter` (`getValidPodsWithFilter`).
    func uncountedCandidates(excluding listed: Set<String>, _ filter: (JSONValue) -> Bool) -> [JSONValue] {
        pods.filter { pod in
            guard JobPodState.hasTrackingFinalizer(pod), !listed.contains(JobPodState.uid(pod)) else { return false }
            if spec.isIndexed {
                guard let index = JobPodState.completionIndex(pod), index < (spec.completions ?? 0) else { return false }
            }
            return filter(pod)
        }
    }

    /// A `SuccessCriteriaMet` or `FailureTarget` already in the status, or a new
    /// `FailureTarget` for the backoff limit or the active deadline.
    mutating func decideTerminalCondition() {
        let conditions = status["conditions"]?.array ?? []
        if JobConditions.isTrue(JobWellKnown.Condition.successCriteriaMet, in: conditions) {
            finishedCondition = JobConditions.find(JobWellKnown.Condition.successCriteriaMet, in: conditions)
            return
        }
        if JobConditions.isTrue(JobWellKnown.Condition.failureTarget, in: conditions),
           let target = JobConditions.find(JobWellKnown.Condition.failureTarget, in: conditions) {
            finishedCondition = JobConditions.make(JobWellKnown.Condition.failed, reason: target["reason"]?.string ?? "",
                                                   message: target["message"]?.string ?? "", now: now)
            return
        }
        if failed > spec.backoffLimit || pastBackoffLimitOnFailure() {
            finishedCondition = JobConditions.make(JobWellKnown.Condition.failureTarget,
                                                   reason: JobWellKnown.Reason.backoffLimitExceeded,
                                                   message: "Job has reached the specified backoff limit", now: now)
        } else if let left = activeDeadlineLeft(), left <= .zero {
            finishedCondition = JobConditions.make(JobWellKnown.Condition.failureTarget,
                                                   reason: JobWellKnown.Reason.deadlineExceeded,
                                                   message: "Job was active longer than specified deadline", now: now)
        } else if let left = activeDeadlineLeft() {
            requeue(after: left)
        }
    }

    /// With `restartPolicy: OnFailure` failures are container restarts: their total over
    /// running and pending pods reaching the backoff limit fails the Job.
    func pastBackoffLimitOnFailure() -> Bool {
        guard spec.restartPolicy == "OnFailure" else { return false }
        let restarts = pods.filter { ["Running", "Pending"].contains(PodReadiness.phase($0)) }
            .reduce(0) { $0 + JobPodState.totalRestarts($1) }
        return spec.backoffLimit == 0 ? restarts > 0 : restarts >= spec.backoffLimit
    }

    /// How much of `activeDeadlineSeconds` is left; nil without a deadline, a start or while
    /// suspended.
    func activeDeadlineLeft() -> Duration? {
        guard let seconds = spec.activeDeadlineSeconds, !spec.suspended,
              let start = status["startTime"]?.string.flatMap(KubeTime.parse) else { return nil }
        return .seconds(seconds) - .seconds(now.timeIntervalSince(start))
    }

    /// Asks to look again after `delay`, keeping the soonest request.
    mutating func requeue(after delay: Duration) {
        let delay = max(delay, .zero)
        requeueAfter = min(requeueAfter ?? delay, delay)
    }

    func isNull(_ value: JSONValue?) -> Bool { value == nil || value == .null }
}
