import Foundation
import KubeCore

/// Rollback through the `deprecated.deployment.rollback.to` annotation, which is how apps/v1
/// carries extensions/v1beta1's `spec.rollbackTo` (upstream's rollback.go). `kubectl rollout
/// undo` does not use it: it copies the old template into the Deployment itself, and the sync
/// then finds that template's ReplicaSet again and gives it the next revision.
extension DeploymentSync {
    /// The revision asked for (0: the previous one), nil without a readable annotation.
    var rollbackTarget: Int? {
        ObjectMetadata.annotations(deployment)[DeploymentReplicaSet.rollbackToAnnotation].flatMap { Int($0) }
    }

    /// Upstream's `rollback`: the template of the ReplicaSet with the target revision goes back
    /// into the Deployment, and the annotation goes away either way.
    mutating func rollback() {
        let (newRS, oldRSs) = allReplicaSetsAndSyncRevision(createIfMissing: true)
        let allRSs = (oldRSs + [newRS].compactMap { $0 }).map(current)
        var target = rollbackTarget ?? 0
        if target == 0 {
            let revisions = allRSs.compactMap(DeploymentReplicaSet.revision).sorted(by: >)
            target = revisions.count > 1 ? revisions[1] : 0
            if target == 0 {
                record("Warning", "DeploymentRollbackRevisionNotFound", "Unable to find last revision.")
                clearRollbackTarget()
                return
            }
        }
        guard let source = allRSs.first(where: { DeploymentReplicaSet.revision($0) == target }) else {
            record("Warning", "DeploymentRollbackRevisionNotFound", "Unable to find the revision to rollback to.")
            clearRollbackTarget()
            return
        }
        let sourceTemplate = source[path: ["spec", "template"]] ?? .object([:])
        guard !PodTemplateHash.equalIgnoringHash(spec.template, sourceTemplate) else {
            record("Warning", "DeploymentRollbackTemplateUnchanged",
                   "The rollback revision contains the same template as current deployment \(goQuoted(spec.name))")
            clearRollbackTarget()
            return
        }
        deployment[at: ["spec", "template"]] = PodTemplateHash.withoutHashLabel(sourceTemplate)
        // The Deployment takes the old ReplicaSet's annotations (its change-cause, say), so they
        // are not overwritten from the Deployment when that ReplicaSet becomes the new one.
        var annotations = ObjectMetadata.annotations(deployment).filter { DeploymentReplicaSet.annotationsNotCopied.contains($0.key) }
        for (key, value) in ObjectMetadata.annotations(source) where !DeploymentReplicaSet.annotationsNotCopied.contains(key) {
            annotations[key] = value
        }
        deployment[at: ["metadata", "annotations"]] = .object(annotations.mapValues(JSONValue.string))
        clearRollbackTarget()
        record("Normal", "DeploymentRollback", "Rolled back deployment \(goQuoted(spec.name)) to revision \(target)")
    }

    /// Upstream's `updateDeploymentAndClearRollbackTo`.
    private mutating func clearRollbackTarget() {
        deployment = DeploymentReplicaSet.setting(annotation: DeploymentReplicaSet.rollbackToAnnotation, to: nil, on: deployment)
        plan.actions.append(.updateDeployment(deployment))
        spec = DeploymentSpec(deployment)
    }
}
