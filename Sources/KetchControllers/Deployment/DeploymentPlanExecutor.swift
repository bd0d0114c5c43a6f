import Foundation
import KubeClient
import KubeCore

/// Carries out a ``DeploymentPlan`` through the API in order, stopping at the first failure.
/// Each write carries the newest resourceVersion this sync has seen for its object, so an
/// object written twice in one sync (annotations, then replicas) does not conflict with itself.
struct DeploymentPlanExecutor {
    /// The API and event recorder.
    let context: ControllerContext
    /// The Deployment as cached when the sync started.
    let deployment: JSONValue
    /// The newest resourceVersion per object name (ReplicaSets, and the Deployment).
    private var versions: [String: String] = [:]

    /// The create of a ReplicaSet raced with another sync or a stale cache: look again.
    struct Retry: Error, CustomStringConvertible {
        let description: String
    }

    /// The namespace is being deleted, so nothing can be created in it; upstream drops the key.
    struct NamespaceTerminating: Error {}

    /// An executor for `deployment`.
    init(context: ControllerContext, deployment: JSONValue) {
        self.context = context
        self.deployment = deployment
    }

    private var namespace: String { ObjectMetadata.namespace(deployment) }

    /// Runs every action of `plan`.
    mutating func run(_ plan: DeploymentPlan) async throws {
        for action in plan.actions {
            try await run(action)
        }
    }

    private mutating func run(_ action: DeploymentAction) async throws {
        let api = context.api
        let replicaSets = BuiltinResources.replicaSets
        switch action {
        case .createReplicaSet(let rs, let status):
            do {
                let created = try await api.create(replicaSets, namespace: namespace, rs)
                note(created)
            } catch {
                try await createFailed(rs, status: status, error: error)
            }
        case .updateReplicaSet(let rs):
            note(try await api.update(replicaSets, namespace: namespace, withNewestVersion(rs)))
        case .deleteReplicaSet(let rs):
            do {
                try await api.delete(replicaSets, namespace: namespace, name: ObjectMetadata.name(rs), options: KubeDeleteOptions())
            } catch where APIErrors.isNotFound(error) {
                // Already gone.
            }
        case .updateDeployment(let updated):
            note(try await api.update(BuiltinResources.deployments, namespace: namespace, withNewestVersion(updated)))
        case .updateStatus(let status, let revision):
            try await writeStatus(status, revision: revision)
        case .event(let type, let reason, let message):
            context.events.record(deployment, type: type, reason: reason, message: message)
        }
    }

    /// Upstream's handling of a failed create in `getNewReplicaSet`.
    private mutating func createFailed(_ rs: JSONValue, status: DeploymentStatus, error: any Error) async throws {
        let name = ObjectMetadata.name(rs)
        if APIErrors.isAlreadyExists(error) {
            let existing = try await context.api.get(BuiltinResources.replicaSets, namespace: namespace, name: name)
            let template = deployment[path: ["spec", "template"]] ?? .object([:])
            if OwnerReferences.isControlled(existing, by: deployment),
               PodTemplateHash.equalIgnoringHash(existing[path: ["spec", "template"]] ?? .object([:]), template) {
                // Ours already: the cache had not shown it yet.
                throw Retry(description: "replica set \(namespace)/\(name) exists but is not cached yet")
            }
            // Another template hashes to this name: bump collisionCount for a new name next time.
            var bumped = status
            bumped.collisionCount = (status.collisionCount ?? 0) + 1
            try? await writeStatus(bumped)
            throw error
        }
        if APIErrors.isNamespaceTerminating(error) { throw NamespaceTerminating() }
        let (failed, message) = DeploymentSync.createFailed(status, replicaSet: name, message: APIErrors.message(error),
                                                            deployment: deployment, now: context.now())
        if let failed { try? await writeStatus(failed) }
        context.events.record(deployment, type: "Warning", reason: DeploymentConditions.replicaSetCreateError, message: message)
        throw error
    }

    /// PUT of the status. The revision annotation goes in the same request, as upstream sends
    /// it (the status strategy lets annotations through without bumping the generation); an
    /// apiserver that keeps metadata out of status writes gets it in a PUT of the object after
    /// (the deployment-controller role may update Deployments but not patch them).
    private mutating func writeStatus(_ status: DeploymentStatus, revision: String? = nil) async throws {
        var object = withNewestVersion(deployment)
        let key = DeploymentReplicaSet.revisionAnnotation
        if let revision { object = DeploymentReplicaSet.setting(annotation: key, to: revision, on: object) }
        object["status"] = status.json
        let written = try await context.api.updateStatus(BuiltinResources.deployments, namespace: namespace, object)
        note(written)
        guard let revision, DeploymentReplicaSet.annotation(written, key) != revision else { return }
        let annotated = DeploymentReplicaSet.setting(annotation: key, to: revision, on: written)
        note(try await context.api.update(BuiltinResources.deployments, namespace: namespace, annotated))
    }

    /// `object` with the newest resourceVersion seen for its name.
    private func withNewestVersion(_ object: JSONValue) -> JSONValue {
        guard let version = versions[key(object)] else { return object }
        var copy = object
        copy[at: ["metadata", "resourceVersion"]] = .string(version)
        return copy
    }

    /// Remembers the resourceVersion the server answered with.
    private mutating func note(_ written: JSONValue) {
        if let version = written[path: ["metadata", "resourceVersion"]]?.string { versions[key(written)] = version }
    }

    private func key(_ object: JSONValue) -> String {
        (object["kind"]?.string ?? "") + "/" + ObjectMetadata.name(object)
    }
}
