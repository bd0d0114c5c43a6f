import Foundation
import KubeCore

extension DeploymentSync {
    /// Upstream's `sync`: a scaling event or a paused Deployment. Replica sets are resized in
    /// proportion, old ones cleaned up when paused, and the status written.
    mutating func syncScaling() {
        let (newRS, oldRSs) = allReplicaSetsAndSyncRevision(createIfMissing: false)
        scale(newRS: newRS, oldRSs: oldRSs)
        if spec.paused, rollbackTarget == nil { cleanupDeployment(oldRSs) }
        syncDeploymentStatus(oldRSs + [newRS].compactMap { $0 }, newRS: newRS)
    }

    /// Upstream's `isScalingEvent`: an active ReplicaSet remembers other desired replicas than
    /// the Deployment now has.
    mutating func isScalingEvent() -> Bool {
        let (newRS, oldRSs) = allReplicaSetsAndSyncRevision(createIfMissing: false)
        for rs in (oldRSs + [newRS].compactMap { $0 }).map(current) where DeploymentReplicaSet.isActive(rs) {
            guard let desired = DeploymentReplicaSet.intAnnotation(rs, DeploymentReplicaSet.desiredReplicasAnnotation) else { continue }
            if desired != spec.replicas { return true }
        }
        return false
    }

    /// Upstream's `scale`: one active ReplicaSet takes the whole count; a saturated new one
    /// empties the old ones; otherwise a rolling Deployment spreads the change over its active
    /// ReplicaSets in proportion to their sizes.
    mutating func scale(newRS: JSONValue?, oldRSs: [JSONValue]) {
        if let only = activeOrLatest(newRS: newRS, oldRSs: oldRSs) {
            if DeploymentReplicaSet.replicas(only) != spec.replicas { _ = scaleAndRecord(only, to: spec.replicas) }
            return
        }
        if let newRS, isSaturated(current(newRS)) {
            for old in oldRSs.map(current) where DeploymentReplicaSet.isActive(old) { _ = scaleAndRecord(old, to: 0) }
            return
        }
        guard spec.isRollingUpdate else { return }
        var active = (oldRSs + [newRS].compactMap { $0 }).map(current).filter(DeploymentReplicaSet.isActive)
        let allowed = spec.replicas > 0 ? spec.maxReplicas : 0
        let toAdd = allowed - active.map(DeploymentReplicaSet.replicas).reduce(0, +)
        var operation = ""
        if toAdd > 0 {
            active.sort(by: DeploymentReplicaSet.largerOrNewer)
            operation = "up"
        } else if toAdd < 0 {
            active.sort(by: DeploymentReplicaSet.largerOrOlder)
            operation = "down"
        }
        var added = 0
        var sizes: [Int] = []
        for rs in active {
            let proportion = toAdd == 0 ? 0 : self.proportion(of: rs, toAdd: toAdd, added: added)
            sizes.append(DeploymentReplicaSet.replicas(rs) + proportion)
            added += proportion
        }
        for (index, rs) in active.enumerated() {
            var size = sizes[index]
            // What rounding left over goes to the largest ReplicaSet.
            if index == 0, toAdd != 0 { size = max(0, size + toAdd - added) }
            _ = scaleReplicaSet(rs, to: size, operation: operation)
        }
    }

    /// Upstream's `FindActiveOrLatest`: the only active ReplicaSet, or the newest when none is
    /// active; nil when several are active.
    func activeOrLatest(newRS: JSONValue?, oldRSs: [JSONValue]) -> JSONValue? {
        if newRS == nil, oldRSs.isEmpty { return nil }
        let newestFirst = oldRSs.map(current).sorted { DeploymentReplicaSet.createdBefore($1, $0) }
        let active = (newestFirst + [newRS].compactMap { $0 }.map(current)).filter(DeploymentReplicaSet.isActive)
        switch active.count {
        case 0: return newRS.map(current) ?? newestFirst.first
        case 1: return active[0]
        default: return nil
        }
    }

    /// Upstream's `IsSaturated`: the new ReplicaSet has, wants and makes available all replicas.
    func isSaturated(_ rs: JSONValue) -> Bool {
        guard let desired = DeploymentReplicaSet.intAnnotation(rs, DeploymentReplicaSet.desiredReplicasAnnotation) else { return false }
        return DeploymentReplicaSet.replicas(rs) == spec.replicas && desired == spec.replicas
            && DeploymentReplicaSet.status(rs, "availableReplicas") == spec.replicas
    }

    /// Upstream's `GetProportion`: this ReplicaSet's share of `toAdd`, bounded by what is left.
    func proportion(of rs: JSONValue, toAdd: Int, added: Int) -> Int {
        let size = DeploymentReplicaSet.replicas(rs)
        guard size != 0, toAdd != 0, toAdd != added else { return 0 }
        let fraction = self.fraction(of: rs)
        let allowed = toAdd - added
        return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }

    /// Upstream's `getReplicaSetFraction`: how much this ReplicaSet grows or shrinks if it keeps
    /// its share of the Deployment's maximum size (from its max-replicas annotation).
    func fraction(of rs: JSONValue) -> Int {
        let size = DeploymentReplicaSet.replicas(rs)
        if spec.replicas == 0 { return -size }
        let annotated = DeploymentReplicaSet.intAnnotation(rs, DeploymentReplicaSet.maxReplicasAnnotation) ?? status.replicas
        guard annotated > 0 else { return 0 }
        let share = Double(size * spec.maxReplicas) / Double(annotated)
        return Int(share.rounded(.toNearestOrAwayFromZero)) - size
    }

    /// Upstream's `scaleReplicaSetAndRecordEvent`.
    mutating func scaleAndRecord(_ rs: JSONValue, to size: Int) -> Bool {
        let current = DeploymentReplicaSet.replicas(rs)
        guard current != size else { return false }
        return scaleReplicaSet(rs, to: size, operation: current < size ? "up" : "down")
    }

    /// Upstream's `scaleReplicaSet`: new size and replica annotations, and the
    /// `ScalingReplicaSet` event ("Scaled up replica set web-7c5b7d5f9 from 1 to 3").
    mutating func scaleReplicaSet(_ rs: JSONValue, to size: Int, operation: String) -> Bool {
        let rs = current(rs)
        let old = DeploymentReplicaSet.replicas(rs)
        let sizeChanged = old != size
        guard sizeChanged || replicasAnnotationsNeedUpdate(rs) else { return false }
        var updated = DeploymentReplicaSet.setting(replicas: size, on: rs)
        _ = setReplicasAnnotations(&updated)
        plan.actions.append(.updateReplicaSet(updated))
        replace(updated)
        guard sizeChanged else { return false }
        record("Normal", "ScalingReplicaSet", "Scaled \(operation) replica set \(ObjectMetadata.name(rs)) from \(old) to \(size)")
        return true
    }

    /// Upstream's `cleanupDeployment`: beyond `revisionHistoryLimit`, the oldest old
    /// ReplicaSets that run nothing and whose status is current are deleted.
    mutating func cleanupDeployment(_ oldRSs: [JSONValue]) {
        guard let limit = spec.revisionHistoryLimit else { return }
        let cleanable = oldRSs.map(current).filter { !ObjectMetadata.isDeleting($0) }
        let surplus = cleanable.count - limit
        guard surplus > 0 else { return }
        for rs in cleanable.sorted(by: DeploymentReplicaSet.revisionBefore).prefix(surplus) {
            let observed = rs[path: ["status", "observedGeneration"]]?.int ?? 0
            if DeploymentReplicaSet.status(rs, "replicas") != 0 || DeploymentReplicaSet.replicas(rs) != 0
                || ObjectMetadata.generation(rs) > observed { continue }
            plan.actions.append(.deleteReplicaSet(rs))
            let name = ObjectMetadata.name(rs)
            replicaSets.removeAll { ObjectMetadata.name($0) == name }
        }
    }
}
