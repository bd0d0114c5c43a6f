import Foundation
import KubeCore

/// The condition types and reasons of a Deployment (upstream's `deploymentutil` constants).
public enum DeploymentConditions {
    /// `Available`: enough pods are available.
    public static let available = "Available"
    /// `Progressing`: the rollout moves, finished, or missed its deadline.
    public static let progressing = "Progressing"
    /// `ReplicaFailure`: a ReplicaSet could not create or delete pods.
    public static let replicaFailure = "ReplicaFailure"

    /// Progressing: a ReplicaSet was scaled as part of the rollout.
    public static let replicaSetUpdated = "ReplicaSetUpdated"
    /// Progressing False: the new ReplicaSet could not be created.
    public static let replicaSetCreateError = "ReplicaSetCreateError"
    /// Progressing: a new ReplicaSet was created.
    public static let newReplicaSetCreated = "NewReplicaSetCreated"
    /// Progressing: an existing ReplicaSet matches the template.
    public static let foundNewReplicaSet = "FoundNewReplicaSet"
    /// Progressing: the rollout is complete.
    public static let newReplicaSetAvailable = "NewReplicaSetAvailable"
    /// Progressing False: no progress within `progressDeadlineSeconds`.
    public static let progressDeadlineExceeded = "ProgressDeadlineExceeded"
    /// Progressing Unknown: paused.
    public static let deploymentPaused = "DeploymentPaused"
    /// Progressing Unknown: resumed.
    public static let deploymentResumed = "DeploymentResumed"
    /// Available True.
    public static let minimumReplicasAvailable = "MinimumReplicasAvailable"
    /// Available False.
    public static let minimumReplicasUnavailable = "MinimumReplicasUnavailable"
}

extension DeploymentSync {
    /// Sets a condition on the in-memory status as `SetDeploymentCondition` does, with both
    /// times now.
    mutating func setCondition(_ type: String, _ conditionStatus: String, _ reason: String, _ message: String) {
        status.conditions.set(condition(type, conditionStatus, reason, message), keepingTransitionTime: true)
    }

    /// `NewDeploymentCondition`.
    func condition(_ type: String, _ conditionStatus: String, _ reason: String, _ message: String) -> WorkloadCondition {
        let stamp = KubeTime.rfc3339(now)
        return WorkloadCondition(type: type, status: conditionStatus, reason: reason, message: message,
                                 lastUpdateTime: stamp, lastTransitionTime: stamp)
    }

    /// Upstream's `checkPausedConditions`: a paused or resumed Deployment with a deadline gets
    /// `Progressing=Unknown`, so the time spent paused never counts against the deadline.
    mutating func checkPausedConditions() {
        guard spec.progressDeadlineSeconds != nil else { return }
        let current = status.conditions.condition(DeploymentConditions.progressing)
        if current?.reason == DeploymentConditions.progressDeadlineExceeded { return }
        let pausedRecorded = current?.reason == DeploymentConditions.deploymentPaused
        if spec.paused, !pausedRecorded {
            setCondition(DeploymentConditions.progressing, "Unknown", DeploymentConditions.deploymentPaused, "Deployment is paused")
        } else if !spec.paused, pausedRecorded {
            setCondition(DeploymentConditions.progressing, "Unknown", DeploymentConditions.deploymentResumed, "Deployment is resumed")
        } else {
            return
        }
        writeStatus()
    }

    /// Upstream's `calculateStatus`: counts from the ReplicaSets, and the Available condition.
    func calculateStatus(_ allRSs: [JSONValue], newRS: JSONValue?) -> DeploymentStatus {
        let sets = allRSs.map(current)
        let available = sets.map { DeploymentReplicaSet.status($0, "availableReplicas") }.reduce(0, +)
        let total = sets.map(DeploymentReplicaSet.replicas).reduce(0, +)
        var next = DeploymentStatus()
        next.observedGeneration = spec.generation
        next.replicas = sets.map { DeploymentReplicaSet.status($0, "replicas") }.reduce(0, +)
        next.updatedReplicas = newRS.map { DeploymentReplicaSet.status(current($0), "replicas") } ?? 0
        next.readyReplicas = sets.map { DeploymentReplicaSet.status($0, "readyReplicas") }.reduce(0, +)
        next.availableReplicas = available
        next.unavailableReplicas = max(0, total - available)
        next.collisionCount = status.collisionCount
        next.conditions = status.conditions
        if available >= spec.replicas - spec.maxUnavailable {
            next.conditions.set(condition(DeploymentConditions.available, "True", DeploymentConditions.minimumReplicasAvailable,
                                          "Deployment has minimum availability."), keepingTransitionTime: true)
        } else {
            next.conditions.set(condition(DeploymentConditions.available, "False", DeploymentConditions.minimumReplicasUnavailable,
                                          "Deployment does not have minimum availability."), keepingTransitionTime: true)
        }
        return next
    }

    /// Upstream's `syncDeploymentStatus`: writes the status when it changed.
    mutating func syncDeploymentStatus(_ allRSs: [JSONValue], newRS: JSONValue?) {
        let next = calculateStatus(allRSs, newRS: newRS)
        guard next != status else { return }
        status = next
        writeStatus()
    }

    /// Upstream's `syncRolloutStatus`: the status with the Progressing condition moved on
    /// (complete, progressing, or out of time) and ReplicaSet failures surfaced; when nothing
    /// changed, a later look is planned for the deadline.
    mutating func syncRolloutStatus(_ allRSs: [JSONValue], newRS: JSONValue?) {
        var next = calculateStatus(allRSs, newRS: newRS)
        let hasDeadline = spec.progressDeadlineSeconds != nil
        if !hasDeadline { next.conditions.remove(DeploymentConditions.progressing) }
        let currentCondition = status.conditions.condition(DeploymentConditions.progressing)
        let newName = newRS.map { goQuoted(ObjectMetadata.name($0)) }
        let subject = newName.map { "ReplicaSet \($0)" } ?? "Deployment \(goQuoted(spec.name))"
        let alreadyComplete = next.replicas == next.updatedReplicas
            && currentCondition?.reason == DeploymentConditions.newReplicaSetAvailable
        if hasDeadline, !alreadyComplete {
            if isComplete(next) {
                next.conditions.set(condition(DeploymentConditions.progressing, "True", DeploymentConditions.newReplicaSetAvailable,
                                              "\(subject) has successfully progressed."), keepingTransitionTime: true)
            } else if isProgressing(next) {
                var progressing = condition(DeploymentConditions.progressing, "True", DeploymentConditions.replicaSetUpdated,
                                            "\(subject) is progressing.")
                // Progressing keeps its reason while it moves, so lastUpdateTime must move
                // here, which SetDeploymentCondition alone would not do.
                if let currentCondition {
                    if currentCondition.status == "True" { progressing.lastTransitionTime = currentCondition.lastTransitionTime }
                    next.conditions.remove(DeploymentConditions.progressing)
                }
                next.conditions.set(progressing, keepingTransitionTime: true)
            } else if hasTimedOut(next) {
                next.conditions.set(condition(DeploymentConditions.progressing, "False", DeploymentConditions.progressDeadlineExceeded,
                                              "\(subject) has timed out progressing."), keepingTransitionTime: true)
            }
        }
        if let failure = replicaFailure(allRSs, newRS: newRS) {
            next.conditions.set(failure, keepingTransitionTime: true)
        } else {
            next.conditions.remove(DeploymentConditions.replicaFailure)
        }
        if next == status {
            plan.requeueAfter = progressCheckDelay(next)
            return
        }
        status = next
        writeStatus()
    }

    /// Upstream's `DeploymentComplete`: every desired replica updated and available, none old,
    /// and this generation observed.
    func isComplete(_ candidate: DeploymentStatus) -> Bool {
        candidate.updatedReplicas == spec.replicas && candidate.replicas == spec.replicas
            && candidate.availableReplicas == spec.replicas && candidate.observedGeneration >= spec.generation
    }

    /// Upstream's `DeploymentProgressing`: more pods updated, ready or available, or fewer old
    /// ones, than the last written status says.
    func isProgressing(_ candidate: DeploymentStatus) -> Bool {
        let oldOld = status.replicas - status.updatedReplicas
        let newOld = candidate.replicas - candidate.updatedReplicas
        return candidate.updatedReplicas > status.updatedReplicas || newOld < oldOld
            || candidate.readyReplicas > status.readyReplicas || candidate.availableReplicas > status.availableReplicas
    }

    /// Upstream's `DeploymentTimedOut`: the Progressing condition has not moved for
    /// `progressDeadlineSeconds`.
    func hasTimedOut(_ candidate: DeploymentStatus) -> Bool {
        guard let deadline = spec.progressDeadlineSeconds,
              let progressing = candidate.conditions.condition(DeploymentConditions.progressing) else { return false }
        if progressing.reason == DeploymentConditions.newReplicaSetAvailable { return false }
        if progressing.reason == DeploymentConditions.progressDeadlineExceeded { return true }
        guard let from = progressing.lastUpdateTime.flatMap(KubeTime.parse) else { return false }
        return from.addingTimeInterval(TimeInterval(deadline)) < now
    }

    /// Upstream's `getReplicaFailures`: the new ReplicaSet's `ReplicaFailure` condition, else
    /// any old one's, as a Deployment condition.
    func replicaFailure(_ allRSs: [JSONValue], newRS: JSONValue?) -> WorkloadCondition? {
        let ordered = (newRS.map { [$0] } ?? []) + allRSs
        for rs in ordered {
            if let failure = WorkloadCondition.list(in: current(rs)["status"]).condition(ReplicaSetStatus.replicaFailure) {
                var promoted = failure
                promoted.lastUpdateTime = failure.lastTransitionTime
                return promoted
            }
        }
        return nil
    }

    /// Upstream's `requeueStuckDeployment`: when the rollout is neither complete nor out of
    /// time, look again just after the deadline would pass.
    func progressCheckDelay(_ candidate: DeploymentStatus) -> Duration? {
        guard let deadline = spec.progressDeadlineSeconds,
              let progressing = status.conditions.condition(DeploymentConditions.progressing),
              !isComplete(candidate), progressing.reason != DeploymentConditions.progressDeadlineExceeded,
              let from = progressing.lastUpdateTime.flatMap(KubeTime.parse) else { return nil }
        let remaining = from.addingTimeInterval(TimeInterval(deadline)).timeIntervalSince(now)
        // Upstream adds a second against clock skew in AddAfter.
        return .milliseconds(Int(max(0, remaining) * 1000) + 1000)
    }

    /// The report of a ReplicaSet create the apiserver refused (not as a name collision):
    /// `Progressing=False` with `ReplicaSetCreateError` when there is a deadline, and a warning
    /// event. Returns the status to write, if any, and the event's message.
    public static func createFailed(_ status: DeploymentStatus, replicaSet name: String, message: String,
                                    deployment: JSONValue, now: Date) -> (status: DeploymentStatus?, event: String) {
        let text = "Failed to create new replica set \(goQuoted(name)): \(message)"
        guard DeploymentSpec(deployment).progressDeadlineSeconds != nil else { return (nil, text) }
        var failed = status
        let stamp = KubeTime.rfc3339(now)
        failed.conditions.set(WorkloadCondition(type: DeploymentConditions.progressing, status: "False",
                                                reason: DeploymentConditions.replicaSetCreateError, message: text,
                                                lastUpdateTime: stamp, lastTransitionTime: stamp), keepingTransitionTime: true)
        return (failed, text)
    }
}
