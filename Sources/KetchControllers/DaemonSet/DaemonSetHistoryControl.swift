import KubeClient
import KubeCore

/// The API side of ``DaemonSetHistory``: reads, adopts, creates, renumbers, de-duplicates and
/// deletes one DaemonSet's ControllerRevisions (upstream's `constructHistory` and
/// `cleanupHistory`).
struct DaemonSetHistoryControl {
    let daemonSet: JSONValue
    let selector: LabelSelector
    let context: ControllerContext

    private var revisions: ResourceType { BuiltinResources.controllerRevisions }
    private var namespace: String { ObjectMetadata.namespace(daemonSet) }

    /// The revision of the current template (made if missing, numbered newest) and the others.
    func construct() async throws -> (current: JSONValue, old: [JSONValue]) {
        let candidates = context.informer(revisions).list(namespace: namespace)
        let claimer = ControllerRefClaimer(api: context.api, controller: daemonSet, controllerType: BuiltinResources.daemonSets,
                                           ownedType: revisions)
        var current: [JSONValue] = []
        var old: [JSONValue] = []
        for var revision in try await claimer.claim(candidates, matches: { selector.matches(ObjectMetadata.labels($0)) }) {
            // Revisions written before the hash label existed get their name as the hash.
            if DaemonSetHistory.hash(of: revision).isEmpty {
                let name = ObjectMetadata.name(revision)
                var labels = revision[path: ["metadata", "labels"]]?.object ?? [:]
                labels[DaemonSetWellKnown.revisionHashLabel] = .string(name)
                revision["metadata"]?["labels"] = .object(labels)
                revision = try await context.api.update(revisions, namespace: namespace, revision)
            }
            if DaemonSetHistory.matches(daemonSet, revision) { current.append(revision) } else { old.append(revision) }
        }
        let number = ControllerHistory.nextNumber(old)
        guard var keep = DaemonSetHistory.keeper(current) else {
            return (try await snapshot(number: number), old)
        }
        for duplicate in current where ObjectMetadata.name(duplicate) != ObjectMetadata.name(keep) {
            try await relabelPods(to: DaemonSetHistory.hash(of: keep))
            try await context.api.delete(revisions, namespace: namespace, name: ObjectMetadata.name(duplicate),
                                         options: KubeDeleteOptions())
        }
        if ControllerHistory.number(keep) < number {
            keep["revision"] = .integer(number)
            keep = try await context.api.update(revisions, namespace: namespace, keep)
        }
        return (keep, old)
    }

    /// Deletes the old revisions beyond `revisionHistoryLimit` that no pod carries.
    func cleanUp(old: [JSONValue], pods: [JSONValue]) async throws {
        for revision in DaemonSetHistory.toCleanUp(daemonSet, old: old, pods: pods) {
            do {
                try await context.api.delete(revisions, namespace: namespace, name: ObjectMetadata.name(revision),
                                             options: KubeDeleteOptions())
            } catch where APIErrors.isNotFound(error) {
                continue
            }
        }
    }

    /// `snapshot`: creates the revision of the current template. A name taken by a revision of
    /// another template is a hash collision: the DaemonSet's `collisionCount` goes up and the
    /// sync is retried, which picks another name.
    private func snapshot(number: Int) async throws -> JSONValue {
        let revision = DaemonSetHistory.snapshot(daemonSet, number: number)
        do {
            return try await context.api.create(revisions, namespace: namespace, revision)
        } catch where APIErrors.isAlreadyExists(error) {
            let existing = try await context.api.get(revisions, namespace: namespace, name: ObjectMetadata.name(revision))
            if DaemonSetHistory.matches(daemonSet, existing) { return existing }
            var fresh = try await context.api.get(BuiltinResources.daemonSets, namespace: namespace, name: ObjectMetadata.name(daemonSet))
            var status = fresh["status"]?.object ?? [:]
            status["collisionCount"] = .integer((status["collisionCount"]?.int ?? 0) + 1)
            fresh["status"] = .object(status)
            _ = try await context.api.updateStatus(BuiltinResources.daemonSets, namespace: namespace, fresh)
            throw error
        }
    }

    /// Gives every pod of the DaemonSet the kept revision's hash before a duplicate goes.
    private func relabelPods(to hash: String) async throws {
        let pods = context.informer(BuiltinResources.pods).list(namespace: namespace)
            .filter { OwnerReferences.isControlled($0, by: daemonSet) }
        for pod in pods where ObjectMetadata.labels(pod)[DaemonSetWellKnown.revisionHashLabel] != hash {
            let patch: JSONValue = .object(["metadata": .object(["labels": .object([DaemonSetWellKnown.revisionHashLabel: .string(hash)])])])
            _ = try await context.api.patch(BuiltinResources.pods, namespace: namespace, name: ObjectMetadata.name(pod), patch,
                                            kind: .merge, subresource: nil)
        }
    }
}
