import Foundation
import KubeCore

extension JobSync {
    /// `manageJob`: the pods to delete (suspended, too many, duplicate indexes) or, failing
    /// that, to create, respecting parallelism, remaining completions and the failure back-off.
    mutating func manage() -> JobPodActions {
        var actions = JobPodActions()
        actions.releaseBeforeDelete = true
        if spec.suspended {
            actions.delete = podsForRemoval(atLeast: activePods.count)
            return actions
        }
        let wantActive = wantedActive()
        let removals = podsForRemoval(atLeast: max(0, activePods.count - wantActive))
        if !removals.isEmpty {
            actions.delete = Array(removals.prefix(JobWellKnown.maxPodChangesPerSync))
            return actions
        }
        let blocking = spec.onlyReplaceFailedPods ? terminating : 0
        var missing = wantActive - blocking - activePods.count
        guard missing > 0 else { return actions }
        let wait = JobPodBackoff.remaining(pods: pods, now: now)
        if wait > .zero {
            // syncJobBatchPeriod is the shortest delay upstream waits.
            requeue(after: max(wait, .seconds(1)))
            return actions
        }
        missing = min(missing, JobWellKnown.maxPodChangesPerSync)
        if spec.isIndexed {
            let busy = Set(activePods.compactMap(JobPodState.completionIndex))
            let indexes = succeededIndexes.firstPending(count: missing, completions: spec.completions ?? 0, active: busy)
            actions.create = indexes.map { JobPodTemplate.pod(for: job, index: $0) }
        } else {
            actions.create = (0..<missing).map { _ in JobPodTemplate.pod(for: job) }
        }
        return actions
    }

    /// How many pods should run: parallelism, but no more than the completions left; with no
    /// completions (a work queue), the running ones once any pod has succeeded.
    func wantedActive() -> Int {
        guard let completions = spec.completions else {
            return succeeded > 0 ? activePods.count : spec.parallelism
        }
        return max(0, min(completions - succeeded, spec.parallelism))
    }

    /// `activePodsForRemoval`: in an Indexed Job every pod without a valid index and all but
    /// one pod per repeated index; then, to reach `atLeast`, the pods cheapest to lose.
    func podsForRemoval(atLeast: Int) -> [JSONValue] {
        var remove: [JSONValue] = []
        var keep = activePods
        if spec.isIndexed {
            (remove, keep) = duplicateIndexPods(completions: spec.completions ?? 0)
        }
        if remove.count < atLeast {
            remove += JobPodRemovalOrder.sorted(keep).prefix(atLeast - remove.count)
        }
        return remove
    }

    /// Active pods of an Indexed Job split into those to remove (no index, an index beyond
    /// completions, or a repeat) and those to keep (`appendDuplicatedIndexPodsForRemoval`).
    func duplicateIndexPods(completions: Int) -> (remove: [JSONValue], keep: [JSONValue]) {
        var remove: [JSONValue] = []
        var keep: [JSONValue] = []
        let groups = Dictionary(grouping: activePods) { JobPodState.completionIndex($0) ?? -1 }
        for (index, group) in groups.sorted(by: { $0.key < $1.key }) {
            if index < 0 || index >= completions {
                remove += group
            } else {
                let sorted = JobPodRemovalOrder.sorted(group)
                remove += sorted.dropLast()
                keep.append(sorted[sorted.count - 1])
            }
        }
        return (remove, keep)
    }

    /// Step 2: takes in what the pod changes achieved, decides whether the Job is complete,
    /// keeps the `Suspended` condition, and sets `active`, `ready` and `terminating`.
    public mutating func record(_ outcome: JobPodOutcome) {
        guard !skipped else { return }
        let deleted = outcome.deleted.count
        let deletedReady = outcome.deleted.filter(PodReadiness.isReady).count
        var suspendChanged = false
        if deletingForFinish {
            // The Job cannot be declared finished while a pod it meant to delete still runs.
            if deleted != active { finishedCondition = nil }
            active -= deleted
        } else {
            if manageJobCalled { active = active - deleted + outcome.created }
            let complete = spec.completions.map { succeeded >= $0 && active == 0 } ?? (succeeded > 0 && active == 0)
            if complete {
                finishedCondition = JobConditions.make(JobWellKnown.Condition.successCriteriaMet,
                                                       reason: JobWellKnown.Reason.completionsReached,
                                                       message: "Reached expected number of succeeded pods", now: now)
            } else if manageJobCalled {
                suspendChanged = updateSuspendedCondition()
            }
        }
        terminating += deleted
        ready -= deletedReady
        let old = oldStatus
        needsFlush = suspendChanged || active != (old["active"]?.int ?? 0)
            || old["ready"]?.int != ready || old["terminating"]?.int != terminating
        setCount("active", active)
        status["ready"] = .integer(ready)
        status["terminating"] = .integer(terminating)
    }

    /// `Suspended=True` with a `Suspended` event while suspended; `Suspended=False` with a
    /// `Resumed` event, and a fresh `startTime`, once resumed. Returns whether it changed.
    mutating func updateSuspendedCondition() -> Bool {
        let conditions = status["conditions"]?.array ?? []
        let (updated, changed) = spec.suspended
            ? JobConditions.ensure(conditions, type: JobWellKnown.Condition.suspended, status: "True",
                                   reason: "JobSuspended", message: "Job suspended", now: now)
            : JobConditions.ensure(conditions, type: JobWellKnown.Condition.suspended, status: "False",
                                   reason: "JobResumed", message: "Job resumed", now: now)
        guard changed else { return false }
        status["conditions"] = .array(updated)
        if spec.suspended {
            events.append(.normal("Suspended", "Job suspended"))
        } else {
            events.append(.normal("Resumed", "Job resumed"))
            // The deadline counts from the resume, as it does for a Job created suspended.
            status["startTime"] = .string(KubeTime.rfc3339(now))
        }
        return true
    }

    /// Sets a counter that Go's omitempty drops at zero.
    mutating func setCount(_ field: String, _ value: Int) {
        status[field] = value == 0 ? nil : .integer(value)
    }
}
