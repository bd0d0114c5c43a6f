import KubeClient
import KubeCore

extension GarbageCollector {
    /// A cluster-scoped object names a namespaced owner: invalid, and retrying cannot help.
    struct NamespacedOwnerOfClusterScopedObject: Error {}

    /// Looks at one object: deletes it when every owner is gone, drops references to gone
    /// owners when another owner lives, and finishes foreground deletions
    /// (`attemptToDeleteItem`).
    func attemptToDelete(_ uid: String) async throws -> Outcome {
        guard let node = state.node(uid) else { return .forget }
        // Being deleted is a one-way trip: its dependents are handled once it is gone.
        if node.beingDeleted && !node.deletingDependents { return .forget }
        guard let type = GCResources.type(apiVersion: node.identity.apiVersion, kind: node.identity.kind) else {
            return .forget
        }
        let identity = node.identity
        let latest = try await context.api.getIfPresent(type, namespace: identity.namespace, name: identity.name)
        guard let latest, ObjectMetadata.uid(latest) == uid else {
            state.update { $0.confirmAbsent(identity) }
            return .forget
        }
        if node.deletingDependents {
            try await processDeletingDependents(node, type: type)
            return .forget
        }
        let references = OwnerReferences.all(of: latest)
        guard !references.isEmpty else { return node.observed ? .forget : .requeue }

        var owners: [String: GCOwnerState] = [:]
        do {
            for reference in references { owners[reference.uid] = try await ownerState(reference, of: identity) }
        } catch is NamespacedOwnerOfClusterScopedObject {
            context.logger.info("cluster-scoped object refers to a namespaced owner", metadata: ["item": .string("\(identity)")])
            return .forget
        }
        let dependents = state.dependents(of: uid)
        let action = GCDecision.action(for: latest, GCDecision.classify(references, states: owners),
                                       hasDependents: !dependents.isEmpty,
                                       dependentDeletingDependents: dependents.contains(where: \.deletingDependents))
        switch action {
        case .none:
            break
        case .removeOwnerReferences(let stale):
            let patch = GCPatches.deleteOwnerReferences(dependentUID: uid, ownerUIDs: stale)
            _ = try await context.api.patch(type, namespace: identity.namespace, name: identity.name, patch,
                                            kind: .strategicMerge, subresource: nil)
        case .delete(let policy, let unblockFirst):
            if unblockFirst, let patch = GCPatches.unblockOwnerReferences(uid: uid, owners: references) {
                _ = try await context.api.patch(type, namespace: identity.namespace, name: identity.name, patch,
                                                kind: .strategicMerge, subresource: nil)
            }
            context.logger.debug("deleting item", metadata: ["item": .string("\(identity)"), "propagationPolicy": .string(policy)])
            do {
                try await deleteObject(type, identity, resourceVersion: latest[path: ["metadata", "resourceVersion"]]?.string,
                                       owners: references, policy: policy)
            } catch let status as KubeStatus where status.code == 404 {
                state.update { $0.confirmAbsent(identity) }
                return .forget
            }
        }
        // A virtual node is looked at again until an informer has seen it.
        return node.observed ? .forget : .requeue
    }

    /// What became of the owner `reference` names, for an item at `item` (`isDangling`).
    private func ownerState(_ reference: OwnerReferences.Reference, of item: GCIdentity) async throws -> GCOwnerState {
        let coordinates = GCIdentity(reference: reference, dependentNamespace: item.namespace)
        if state.absent.contains(coordinates) { return .absent }
        guard let type = GCResources.type(apiVersion: reference.apiVersion, kind: reference.kind) else { return .unresolvable }
        if item.namespace == nil && type.namespaced { throw NamespacedOwnerOfClusterScopedObject() }
        let owner = try await context.api.getIfPresent(type, namespace: type.namespaced ? item.namespace : nil, name: reference.name)
        guard let owner, ObjectMetadata.uid(owner) == reference.uid else {
            state.absent.insert(coordinates)
            return .absent
        }
        return .present(owner)
    }

    /// An owner deleted in the foreground: once no dependent blocks it, its finalizer goes;
    /// until then its blocking dependents are (re)queued for deletion.
    private func processDeletingDependents(_ node: GCNode, type: ResourceType) async throws {
        let blocking = state.blockingDependents(of: node.identity.uid)
        if blocking.isEmpty {
            try await removeFinalizer(GCGraph.foregroundFinalizer, type, node.identity)
            return
        }
        let queue = state.deleteQueue
        for dependent in blocking where !dependent.deletingDependents { await queue.add(dependent.identity.uid) }
    }
}
