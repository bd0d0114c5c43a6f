import Foundation
import KubeCore

extension DeploymentSync {
    /// Upstream's `rolloutRolling`: grow the new ReplicaSet within `maxSurge`, else shrink the
    /// old ones within `maxUnavailable`, else (rollout complete) clean up history; then the
    /// rollout status.
    mutating func rolloutRolling() {
        let (created, oldRSs) = allReplicaSetsAndSyncRevision(createIfMissing: true)
        guard let newRS = created else { return }
        let allRSs = oldRSs + [newRS]
        if reconcileNewReplicaSet(allRSs, newRS: newRS) {
            syncRolloutStatus(allRSs, newRS: newRS)
            return
        }
        if reconcileOldReplicaSets(allRSs, oldRSs: oldRSs.map(current).filter(DeploymentReplicaSet.isActive), newRS: newRS) {
            syncRolloutStatus(allRSs, newRS: newRS)
            return
        }
        if isComplete(status) { cleanupDeployment(oldRSs) }
        syncRolloutStatus(allRSs, newRS: newRS)
    }

    /// Upstream's `reconcileNewReplicaSet`: scales the new ReplicaSet towards the Deployment's
    /// replicas as far as the surge allows. Returns whether it scaled.
    mutating func reconcileNewReplicaSet(_ allRSs: [JSONValue], newRS: JSONValue) -> Bool {
        let newRS = current(newRS)
        let size = DeploymentReplicaSet.replicas(newRS)
        if size == spec.replicas { return false }
        if size > spec.replicas { return scaleAndRecord(newRS, to: spec.replicas) }
        guard let target = newReplicaSetReplicas(all: allRSs.map(current), newRS: newRS) else { return false }
        return scaleAndRecord(newRS, to: target)
    }

    /// Upstream's `reconcileOldReplicaSets`: shrinks old ReplicaSets by what availability
    /// allows (`maxScaledDown = all - minAvailable - new unavailable`), unhealthy replicas
    /// first. Returns whether it scaled.
    mutating func reconcileOldReplicaSets(_ allRSs: [JSONValue], oldRSs: [JSONValue], newRS: JSONValue) -> Bool {
        let oldCount = oldRSs.map(DeploymentReplicaSet.replicas).reduce(0, +)
        if oldCount == 0 { return false }
        let allCount = allRSs.map(current).map(DeploymentReplicaSet.replicas).reduce(0, +)
        let minAvailable = spec.replicas - spec.maxUnavailable
        let newRS = current(newRS)
        let newUnavailable = DeploymentReplicaSet.replicas(newRS) - DeploymentReplicaSet.status(newRS, "availableReplicas")
        let maxScaledDown = allCount - minAvailable - newUnavailable
        if maxScaledDown <= 0 { return false }
        let cleaned = cleanupUnhealthyReplicas(oldRSs, maxCleanup: maxScaledDown)
        let scaledDown = scaleDownOldReplicaSetsForRollingUpdate(oldRSs.map(current) + [newRS], oldRSs: oldRSs.map(current))
        return cleaned + scaledDown > 0
    }

    /// Upstream's `cleanupUnhealthyReplicas`: scales old ReplicaSets down by their unavailable
    /// replicas, oldest first, up to `maxCleanup` in all. Returns how many went.
    mutating func cleanupUnhealthyReplicas(_ oldRSs: [JSONValue], maxCleanup: Int) -> Int {
        var total = 0
        for rs in oldRSs.map(current).sorted(by: DeploymentReplicaSet.createdBefore) {
            if total >= maxCleanup { break }
            let size = DeploymentReplicaSet.replicas(rs)
            let available = DeploymentReplicaSet.status(rs, "availableReplicas")
            if size == 0 || size == available { continue }
            let count = min(maxCleanup - total, size - available)
            _ = scaleAndRecord(rs, to: size - count)
            total += count
        }
        return total
    }

    /// Upstream's `scaleDownOldReplicaSetsForRollingUpdate`: scales old ReplicaSets down,
    /// oldest first, by as many available pods as exceed `replicas - maxUnavailable`.
    mutating func scaleDownOldReplicaSetsForRollingUpdate(_ allRSs: [JSONValue], oldRSs: [JSONValue]) -> Int {
        let minAvailable = spec.replicas - spec.maxUnavailable
        let available = allRSs.map { DeploymentReplicaSet.status($0, "availableReplicas") }.reduce(0, +)
        if available <= minAvailable { return 0 }
        let target = available - minAvailable
        var total = 0
        for rs in oldRSs.sorted(by: DeploymentReplicaSet.createdBefore) {
            if total >= target { break }
            let size = DeploymentReplicaSet.replicas(rs)
            if size == 0 { continue }
            let count = min(size, target - total)
            _ = scaleAndRecord(rs, to: size - count)
            total += count
        }
        return total
    }

    /// Upstream's `rolloutRecreate`: every old ReplicaSet to zero, wait until no old pod runs,
    /// then the new ReplicaSet (created only now) at full size.
    mutating func rolloutRecreate() {
        var (newRS, oldRSs) = allReplicaSetsAndSyncRevision(createIfMissing: false)
        var allRSs = oldRSs + [newRS].compactMap { $0 }
        var scaledDown = false
        for rs in oldRSs.map(current) where DeploymentReplicaSet.isActive(rs) {
            if scaleAndRecord(rs, to: 0) { scaledDown = true }
        }
        if scaledDown || oldPodsRunning(newRS: newRS, oldRSs: oldRSs) {
            syncRolloutStatus(allRSs, newRS: newRS)
            return
        }
        if newRS == nil {
            (newRS, oldRSs) = allReplicaSetsAndSyncRevision(createIfMissing: true)
            allRSs = oldRSs + [newRS].compactMap { $0 }
        }
        guard let newRS else { return }
        _ = scaleAndRecord(current(newRS), to: spec.replicas)
        if isComplete(status) { cleanupDeployment(oldRSs) }
        syncRolloutStatus(allRSs, newRS: newRS)
    }

    /// Upstream's `oldPodsRunning`: an old ReplicaSet still reports pods, or a pod of one is not
    /// finished (Pending, Running or Unknown).
    func oldPodsRunning(newRS: JSONValue?, oldRSs: [JSONValue]) -> Bool {
        if oldRSs.map(current).map({ DeploymentReplicaSet.status($0, "replicas") }).reduce(0, +) > 0 { return true }
        let newUID = newRS.map(ObjectMetadata.uid)
        let owners = Set(replicaSets.map(ObjectMetadata.uid).filter { !$0.isEmpty && $0 != newUID })
        return pods.contains { pod in
            guard let ref = OwnerReferences.controllerRef(of: pod), owners.contains(ref.uid) else { return false }
            let phase = PodReadiness.phase(pod)
            return phase != "Failed" && phase != "Succeeded"
        }
    }
}
