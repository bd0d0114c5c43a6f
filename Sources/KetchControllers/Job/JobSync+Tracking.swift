import Foundation
import KubeCore

extension JobSync {
    /// Step 3 (`trackJobStatusAndRemoveFinalizers`, first half): lists newly finished pods in
    /// `uncountedTerminatedPods` (or `completedIndexes`), adds the interim terminal condition,
    /// and picks the pods whose finalizer may come off. Returns the Job to write first, when
    /// its status changed; the pods in ``podsToRelease`` are released after that write.
    public mutating func track() -> JSONValue? {
        guard !skipped else { return nil }
        let ordered = spec.isIndexed
            ? pods.sorted { (JobPodState.completionIndex($0) ?? -1) < (JobPodState.completionIndex($1) ?? -1) }
            : pods
        withFinalizer = Set(pods.filter(JobPodState.hasTrackingFinalizer).map(JobPodState.uid))
        if countReleasedPods() { needsFlush = true }
        let completions = spec.completions ?? 0
        let failing = finishedCondition.map { $0["type"]?.string != JobWellKnown.Condition.successCriteriaMet } ?? false
        var newIndexes: [Int] = []
        for pod in ordered where JobPodState.hasTrackingFinalizer(pod) {
            let uid = JobPodState.uid(pod)
            let podFailed = JobPodState.isFailed(pod, onlyReplaceFailedPods: spec.onlyReplaceFailedPods)
            let podSucceeded = JobPodState.isSucceeded(pod)
            guard spec.beingDeleted || finishedCondition != nil || podSucceeded || podFailed else { continue }
            podsToRelease.append(pod)
            let index = JobPodState.completionIndex(pod)
            if podSucceeded, !uncountedAtStart.failed.contains(uid) {
                if spec.isIndexed {
                    if let index, index < completions, !previousIndexes.contains(index) {
                        newIndexes.append(index)
                        needsFlush = true
                    }
                } else if !uncountedAtStart.succeeded.contains(uid) {
                    uncountedSucceeded.append(uid)
                    needsFlush = true
                }
            } else if podFailed || failing {
                // A Job that fails counts every pod it has not seen finish as failed.
                let validIndex = !spec.isIndexed || (index.map { $0 < completions } ?? false)
                if !uncountedAtStart.failed.contains(uid), validIndex {
                    uncountedFailed.append(uid)
                    needsFlush = true
                }
            }
            if newIndexes.count + uncountedSucceeded.count + uncountedFailed.count >= JobWellKnown.maxPodChangesPerSync {
                // The rest waits for the next sync, keeping the status small.
                reachedMaxUncounted = true
                break
            }
        }
        if spec.isIndexed {
            succeededIndexes = succeededIndexes.adding(newIndexes)
            let text = succeededIndexes.description
            if text != (status["completedIndexes"]?.string ?? "") { needsFlush = true }
            setCount("succeeded", succeededIndexes.total)
            status["completedIndexes"] = text.isEmpty ? nil : .string(text)
        }
        promoteInterimCondition()
        writeUncounted()
        guard needsFlush else { return nil }
        needsFlush = false
        return job
    }

    /// Appends `FailureTarget` or `SuccessCriteriaMet` to the status and makes the condition
    /// to set once every pod is counted `Failed` or `Complete`, with the same reason.
    mutating func promoteInterimCondition() {
        guard let condition = finishedCondition, let type = condition["type"]?.string else { return }
        let reason = condition["reason"]?.string ?? ""
        let message = condition["message"]?.string ?? ""
        var conditions = status["conditions"]?.array ?? []
        switch type {
        case JobWellKnown.Condition.failureTarget:
            conditions.append(condition)
            needsFlush = true
            finishedCondition = JobConditions.make(JobWellKnown.Condition.failed, reason: reason, message: message, now: now)
        case JobWellKnown.Condition.successCriteriaMet:
            if !JobConditions.isTrue(type, in: conditions) {
                conditions.append(condition)
                needsFlush = true
            }
            finishedCondition = JobConditions.make(JobWellKnown.Condition.complete, reason: reason, message: message, now: now)
        default:
            return
        }
        status["conditions"] = .array(conditions)
    }

    /// Step 4: the Job as the status write returned it (a newer resourceVersion).
    public mutating func flushed(_ written: JSONValue) {
        if let metadata = written["metadata"] { job["metadata"] = metadata }
    }

    /// Step 5 (`flushUncountedAndRemoveFinalizers` and `enactJobFinished`): moves the released
    /// pods (`released` uids) from the uncounted lists to the counters and, once none is left
    /// uncounted and none terminating, sets `Complete` (with `completionTime`) or `Failed`.
    /// `failed` says some releases failed: the progress is written, the Job not finished.
    /// Returns the Job to write, if its status changed.
    public mutating func complete(released: Set<String>, failed releaseFailed: Bool = false) -> JSONValue? {
        guard !skipped else { return nil }
        withFinalizer.subtract(released)
        if countReleasedPods() { needsFlush = true }
        if !releaseFailed, !reachedMaxUncounted, enactFinished() { needsFlush = true }
        writeUncounted()
        guard needsFlush else { return nil }
        needsFlush = false
        return job
    }

    /// `cleanUncountedPodsWithoutFinalizers`: uncounted pods that no longer hold the finalizer
    /// (released, or gone) move to `succeeded` and `failed`. Returns whether any moved.
    mutating func countReleasedPods() -> Bool {
        let keptSucceeded = uncountedSucceeded.filter(withFinalizer.contains)
        let keptFailed = uncountedFailed.filter(withFinalizer.contains)
        guard keptSucceeded.count != uncountedSucceeded.count || keptFailed.count != uncountedFailed.count else {
            return false
        }
        setCount("succeeded", (status["succeeded"]?.int ?? 0) + uncountedSucceeded.count - keptSucceeded.count)
        setCount("failed", (status["failed"]?.int ?? 0) + uncountedFailed.count - keptFailed.count)
        uncountedSucceeded = keptSucceeded
        uncountedFailed = keptFailed
        return true
    }

    /// Sets the final condition when nothing is left to count or to terminate, and the events
    /// that announce it. Returns whether the Job finished.
    mutating func enactFinished() -> Bool {
        guard let condition = finishedCondition, let type = condition["type"]?.string,
              uncountedSucceeded.isEmpty, uncountedFailed.isEmpty, terminating == 0 else { return false }
        let reason = condition["reason"]?.string ?? ""
        let message = condition["message"]?.string ?? ""
        let (conditions, _) = JobConditions.ensure(status["conditions"]?.array ?? [], type: type, status: "True",
                                                   reason: reason, message: message, now: now)
        status["conditions"] = .array(conditions)
        if type == JobWellKnown.Condition.complete {
            status["completionTime"] = .string(KubeTime.rfc3339(now))
            if let completions = spec.completions, (status["succeeded"]?.int ?? 0) > completions {
                events.append(.warning("TooManySucceededPods", "Too many succeeded pods running after completion count reached"))
            }
            events.append(.normal("Completed", "Job completed"))
        } else {
            events.append(.warning(reason, message))
        }
        return true
    }

    /// Writes the working status into ``job``, `uncountedTerminatedPods` as upstream
    /// serialises it (`{}` when empty).
    mutating func writeUncounted() {
        var uncounted: [String: JSONValue] = [:]
        if !uncountedSucceeded.isEmpty { uncounted["succeeded"] = .array(uncountedSucceeded.map(JSONValue.string)) }
        if !uncountedFailed.isEmpty { uncounted["failed"] = .array(uncountedFailed.map(JSONValue.string)) }
        status["uncountedTerminatedPods"] = .object(uncounted)
        job["status"] = .object(status)
    }
}
