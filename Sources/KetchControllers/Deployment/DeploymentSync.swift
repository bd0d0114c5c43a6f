import Foundation
import KubeCore

/// One sync of a Deployment, as upstream's `syncDeployment` (pkg/controller/deployment, 1.33),
/// worked out without touching the API: it reads the Deployment, its ReplicaSets and their pods
/// and returns the writes upstream would make, in order (``DeploymentPlan``).
///
/// Writes are assumed to succeed as they are planned (a ReplicaSet scaled is scaled for the
/// steps after), which is what upstream sees when its calls return without error.
public struct DeploymentSync {
    /// The Deployment, with the changes planned so far (annotations, a rolled-back template).
    var deployment: JSONValue
    /// Its spec.
    var spec: DeploymentSpec
    /// Its status as the controller holds it in memory.
    var status: DeploymentStatus
    /// The ReplicaSets it owns, as planned so far.
    var replicaSets: [JSONValue]
    /// Its pods (matching its selector), for Recreate's "no old pods running" check.
    let pods: [JSONValue]
    /// The time of the sync.
    let now: Date
    /// What has been decided.
    var plan = DeploymentPlan()
    /// A revision annotation decided but not yet written (it goes with the next status write).
    var pendingRevision: String?

    /// `revision-history` is kept under this many characters (upstream's `maxRevHistoryLengthInChars`).
    static let maxRevisionHistoryLength = 2000

    /// The writes that sync `deployment`, which owns `replicaSets` (already claimed) and whose
    /// selector matches `pods`, at time `now`.
    public static func plan(deployment: JSONValue, replicaSets: [JSONValue], pods: [JSONValue], now: Date) -> DeploymentPlan {
        var sync = DeploymentSync(deployment: deployment, spec: DeploymentSpec(deployment), status: DeploymentStatus(of: deployment),
                                  replicaSets: replicaSets, pods: pods, now: now)
        sync.run()
        return sync.plan
    }

    /// `syncDeployment` after the ReplicaSets are claimed.
    mutating func run() {
        if Self.selectsEverything(spec.selector) {
            record("Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.")
            if status.observedGeneration < spec.generation {
                status.observedGeneration = spec.generation
                writeStatus()
            }
            return
        }
        if ObjectMetadata.isDeleting(deployment) {
            let (newRS, oldRSs) = allReplicaSetsAndSyncRevision(createIfMissing: false)
            syncDeploymentStatus(oldRSs + [newRS].compactMap { $0 }, newRS: newRS)
            return
        }
        checkPausedConditions()
        if spec.paused {
            syncScaling()
            return
        }
        if rollbackTarget != nil {
            rollback()
            return
        }
        if isScalingEvent() {
            syncScaling()
            return
        }
        switch spec.strategy {
        case "Recreate": rolloutRecreate()
        case "RollingUpdate": rolloutRolling()
        default: plan.failure = "unexpected deployment strategy type: \(spec.strategy)"
        }
    }

    /// Upstream refuses a selector equal to `{}`: it would select every pod in the namespace.
    static func selectsEverything(_ selector: JSONValue) -> Bool {
        guard let members = selector.object else { return false }
        return (members["matchLabels"]?.object ?? [:]).isEmpty && (members["matchExpressions"]?.array ?? []).isEmpty
    }

    /// Records an event about the Deployment.
    mutating func record(_ type: String, _ reason: String, _ message: String) {
        plan.actions.append(.event(type: type, reason: reason, message: message))
    }

    // MARK: ReplicaSets as planned

    /// The planned state of `rs` (by name).
    func current(_ rs: JSONValue) -> JSONValue {
        let name = ObjectMetadata.name(rs)
        return replicaSets.first { ObjectMetadata.name($0) == name } ?? rs
    }

    /// Replaces the planned state of the ReplicaSet named like `rs`.
    mutating func replace(_ rs: JSONValue) {
        let name = ObjectMetadata.name(rs)
        if let index = replicaSets.firstIndex(where: { ObjectMetadata.name($0) == name }) { replicaSets[index] = rs }
    }

    /// Upstream's `FindNewReplicaSet`: the oldest ReplicaSet whose template is the Deployment's.
    func findNewReplicaSet() -> JSONValue? {
        replicaSets.sorted(by: DeploymentReplicaSet.createdBefore).first {
            PodTemplateHash.equalIgnoringHash($0[path: ["spec", "template"]] ?? .object([:]), spec.template)
        }
    }

    /// Upstream's `FindOldReplicaSets` (all of them, in creation order).
    func findOldReplicaSets() -> [JSONValue] {
        let newName = findNewReplicaSet().map(ObjectMetadata.name)
        return replicaSets.sorted(by: DeploymentReplicaSet.createdBefore).filter { ObjectMetadata.name($0) != newName }
    }

    /// Upstream's `getAllReplicaSetsAndSyncRevision`: the new ReplicaSet (created when asked and
    /// missing) with its revision brought up to date, and the old ones.
    mutating func allReplicaSetsAndSyncRevision(createIfMissing: Bool) -> (JSONValue?, [JSONValue]) {
        let oldRSs = findOldReplicaSets()
        let newRS = newReplicaSet(oldRSs: oldRSs, createIfMissing: createIfMissing)
        return (newRS, oldRSs)
    }

    /// Upstream's `getNewReplicaSet`.
    mutating func newReplicaSet(oldRSs: [JSONValue], createIfMissing: Bool) -> JSONValue? {
        let maxOldRevision = oldRSs.compactMap(DeploymentReplicaSet.revision).max() ?? 0
        let newRevision = String(maxOldRevision + 1)
        if var rs = findNewReplicaSet() {
            let annotationsChanged = setNewReplicaSetAnnotations(&rs, newRevision: newRevision, exists: true)
            let minReadyChanged = (rs[path: ["spec", "minReadySeconds"]]?.int ?? 0) != spec.minReadySeconds
            if annotationsChanged || minReadyChanged {
                rs[at: ["spec", "minReadySeconds"]] = spec.minReadySeconds == 0 ? nil : .integer(spec.minReadySeconds)
                plan.actions.append(.updateReplicaSet(rs))
                replace(rs)
                return rs
            }
            var needsUpdate = setDeploymentRevision(DeploymentReplicaSet.annotation(rs, DeploymentReplicaSet.revisionAnnotation) ?? "")
            if spec.progressDeadlineSeconds != nil, status.conditions.condition(DeploymentConditions.progressing) == nil {
                setCondition(DeploymentConditions.progressing, "True", DeploymentConditions.foundNewReplicaSet,
                             "Found new replica set \(goQuoted(ObjectMetadata.name(rs)))")
                needsUpdate = true
            }
            if needsUpdate { writeStatus() }
            return rs
        }
        guard createIfMissing else { return nil }
        return createNewReplicaSet(oldRSs: oldRSs, newRevision: newRevision)
    }

    /// The second half of `getNewReplicaSet`: a ReplicaSet named by the template's hash.
    private mutating func createNewReplicaSet(oldRSs: [JSONValue], newRevision: String) -> JSONValue? {
        let hash = PodTemplateHash.compute(spec.template, collisionCount: status.collisionCount)
        var template = spec.template
        var labels = template[path: ["metadata", "labels"]]?.object ?? [:]
        labels[PodTemplateHash.label] = .string(hash)
        template[at: ["metadata", "labels"]] = .object(labels)
        var selector = spec.selector
        var matchLabels = selector["matchLabels"]?.object ?? [:]
        matchLabels[PodTemplateHash.label] = .string(hash)
        selector["matchLabels"] = .object(matchLabels)
        var rsSpec: [String: JSONValue] = ["replicas": .integer(0), "selector": selector, "template": template]
        if spec.minReadySeconds != 0 { rsSpec["minReadySeconds"] = .integer(spec.minReadySeconds) }
        var rs: JSONValue = .object([
            "apiVersion": .string("apps/v1"),
            "kind": .string("ReplicaSet"),
            "metadata": .object([
                "name": .string(spec.name + "-" + hash),
                "namespace": .string(ObjectMetadata.namespace(deployment)),
                "ownerReferences": .array([OwnerReferences.controller(for: deployment, type: BuiltinResources.deployments)]),
                "labels": .object(labels),
            ]),
            "spec": .object(rsSpec),
        ])
        guard let replicas = newReplicaSetReplicas(all: oldRSs + [rs], newRS: rs) else { return nil }
        rs = DeploymentReplicaSet.setting(replicas: replicas, on: rs)
        _ = setNewReplicaSetAnnotations(&rs, newRevision: newRevision, exists: false)
        plan.actions.append(.createReplicaSet(rs, status: status))
        let name = ObjectMetadata.name(rs)
        if replicas > 0 { record("Normal", "ScalingReplicaSet", "Scaled up replica set \(name) to \(replicas)") }
        var needsUpdate = setDeploymentRevision(newRevision)
        if spec.progressDeadlineSeconds != nil {
            setCondition(DeploymentConditions.progressing, "True", DeploymentConditions.newReplicaSetCreated,
                         "Created new replica set \(goQuoted(name))")
            needsUpdate = true
        }
        if needsUpdate { writeStatus() }
        // What the create returns is the same object with a creation time, which orders it
        // as the newest ReplicaSet from here on.
        rs[at: ["metadata", "creationTimestamp"]] = .string(KubeTime.rfc3339(now))
        replicaSets.append(rs)
        return rs
    }

    /// Upstream's `NewRSNewReplicas`: how big the new ReplicaSet may be now. Rolling updates
    /// grow it within `replicas + maxSurge` pods in all; Recreate makes it full size at once.
    mutating func newReplicaSetReplicas(all: [JSONValue], newRS: JSONValue) -> Int? {
        let current = DeploymentReplicaSet.replicas(newRS)
        switch spec.strategy {
        case "RollingUpdate":
            let total = all.map(DeploymentReplicaSet.replicas).reduce(0, +)
            let maxTotal = spec.replicas + spec.maxSurge
            if total >= maxTotal { return current }
            return current + min(maxTotal - total, spec.replicas - current)
        case "Recreate":
            return spec.replicas
        default:
            plan.failure = "deployment type \(spec.strategy) isn't supported"
            return nil
        }
    }

    // MARK: Annotations

    /// Upstream's `SetNewReplicaSetAnnotations`: copies the Deployment's annotations, raises
    /// the revision (remembering the old one in `revision-history` when a template comes back),
    /// and on creation sets the replica annotations. Returns whether anything changed.
    mutating func setNewReplicaSetAnnotations(_ rs: inout JSONValue, newRevision: String, exists: Bool) -> Bool {
        var changed = false
        for (key, value) in ObjectMetadata.annotations(deployment) where !DeploymentReplicaSet.annotationsNotCopied.contains(key) {
            if DeploymentReplicaSet.annotation(rs, key) == value { continue }
            rs = DeploymentReplicaSet.setting(annotation: key, to: value, on: rs)
            changed = true
        }
        let oldRevision = DeploymentReplicaSet.annotation(rs, DeploymentReplicaSet.revisionAnnotation)
        let oldNumber: Int
        if let oldRevision, !oldRevision.isEmpty {
            guard let parsed = Int(oldRevision) else { return false }
            oldNumber = parsed
        } else {
            oldNumber = 0
        }
        guard let newNumber = Int(newRevision) else { return false }
        if oldNumber < newNumber {
            rs = DeploymentReplicaSet.setting(annotation: DeploymentReplicaSet.revisionAnnotation, to: newRevision, on: rs)
            changed = true
            if let oldRevision { rs = Self.appendingRevisionHistory(oldRevision, to: rs) }
        }
        if !exists, setReplicasAnnotations(&rs) { changed = true }
        return changed
    }

    /// `rs` with `oldRevision` appended to its `revision-history`, dropping the oldest entries
    /// to stay under ``maxRevisionHistoryLength`` characters.
    static func appendingRevisionHistory(_ oldRevision: String, to rs: JSONValue) -> JSONValue {
        let key = DeploymentReplicaSet.revisionHistoryAnnotation
        let history = DeploymentReplicaSet.annotation(rs, key) ?? ""
        var revisions = history.components(separatedBy: ",")
        if revisions[0].isEmpty { return DeploymentReplicaSet.setting(annotation: key, to: oldRevision, on: rs) }
        var total = history.count + oldRevision.count + 1
        var start = 0
        while total > maxRevisionHistoryLength, start < revisions.count {
            total -= revisions[start].count + 1
            start += 1
        }
        guard total <= maxRevisionHistoryLength else { return rs }
        revisions = Array(revisions[start...]) + [oldRevision]
        return DeploymentReplicaSet.setting(annotation: key, to: revisions.joined(separator: ","), on: rs)
    }

    /// Upstream's `SetReplicasAnnotations` with the Deployment's replicas and max replicas.
    func setReplicasAnnotations(_ rs: inout JSONValue) -> Bool {
        guard replicasAnnotationsNeedUpdate(rs) else { return false }
        rs = DeploymentReplicaSet.setting(annotation: DeploymentReplicaSet.desiredReplicasAnnotation, to: String(spec.replicas), on: rs)
        rs = DeploymentReplicaSet.setting(annotation: DeploymentReplicaSet.maxReplicasAnnotation, to: String(spec.maxReplicas), on: rs)
        return true
    }

    /// Whether the replica annotations differ from the Deployment's current numbers.
    func replicasAnnotationsNeedUpdate(_ rs: JSONValue) -> Bool {
        DeploymentReplicaSet.annotation(rs, DeploymentReplicaSet.desiredReplicasAnnotation) != String(spec.replicas)
            || DeploymentReplicaSet.annotation(rs, DeploymentReplicaSet.maxReplicasAnnotation) != String(spec.maxReplicas)
    }

    /// Upstream's `SetDeploymentRevision`: sets the Deployment's revision annotation, to be
    /// written with the next status. Returns whether it changed.
    mutating func setDeploymentRevision(_ revision: String) -> Bool {
        guard ObjectMetadata.annotations(deployment)[DeploymentReplicaSet.revisionAnnotation] != revision else { return false }
        deployment = DeploymentReplicaSet.setting(annotation: DeploymentReplicaSet.revisionAnnotation, to: revision, on: deployment)
        pendingRevision = revision
        return true
    }

    /// Plans a status write of the in-memory status (with a pending revision annotation).
    mutating func writeStatus() {
        plan.actions.append(.updateStatus(status, revision: pendingRevision))
        pendingRevision = nil
    }
}
