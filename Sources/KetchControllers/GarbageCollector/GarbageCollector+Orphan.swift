import KubeClient
import KubeCore

extension GarbageCollector {
    /// An owner deleted with orphan propagation: its references are removed from every
    /// dependent, then its `orphan` finalizer (`attemptToOrphanWorker`).
    func attemptToOrphan(_ uid: String) async throws -> Outcome {
        guard let owner = state.node(uid) else { return .forget }
        let dependents = state.dependents(of: uid)
        let api = context.api
        let failures = await withTaskGroup(of: String?.self) { group in
            for dependent in dependents {
                group.addTask {
                    let identity = dependent.identity
                    guard let type = GCResources.type(apiVersion: identity.apiVersion, kind: identity.kind) else { return nil }
                    let patch = GCPatches.deleteOwnerReferences(dependentUID: identity.uid, ownerUIDs: [uid])
                    do {
                        _ = try await api.patch(type, namespace: identity.namespace, name: identity.name, patch,
                                                kind: .strategicMerge, subresource: nil)
                        return nil
                    } catch let status as KubeStatus where status.code == 404 {
                        return nil
                    } catch {
                        return "orphaning \(identity) failed, \(APIErrors.message(error))"
                    }
                }
            }
            var failures: [String] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        guard failures.isEmpty else {
            throw OrphanFailed(message: "failed to orphan dependents of owner \(owner.identity), got errors: \(failures.joined(separator: ", "))")
        }
        guard let type = GCResources.type(apiVersion: owner.identity.apiVersion, kind: owner.identity.kind) else { return .forget }
        try await removeFinalizer(GCGraph.orphanFinalizer, type, owner.identity)
        return .forget
    }

    /// Some dependents kept their reference; the owner is retried.
    struct OrphanFailed: Error, CustomStringConvertible {
        /// Upstream's message.
        var message: String
        var description: String { message }
    }
}
