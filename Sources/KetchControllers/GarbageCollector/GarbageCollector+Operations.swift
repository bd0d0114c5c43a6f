import KubeClient
import KubeCore

extension GarbageCollector {
    /// Deletes `identity` with `policy`, only that uid and only at `resourceVersion`. When the
    /// object changed meanwhile but its owner references did not, the delete is retried without
    /// the version, so frequent unrelated updates (a pod's status) cannot starve it (operations.go
    /// `deleteObject`).
    func deleteObject(_ type: ResourceType, _ identity: GCIdentity, resourceVersion: String?,
                      owners: [OwnerReferences.Reference], policy: String) async throws {
        var options = KubeDeleteOptions(propagationPolicy: policy, preconditionUID: identity.uid,
                                        preconditionResourceVersion: resourceVersion)
        do {
            try await context.api.delete(type, namespace: identity.namespace, name: identity.name, options: options)
        } catch where APIErrors.isConflict(error) && resourceVersion != nil {
            guard let live = try await context.api.getIfPresent(type, namespace: identity.namespace, name: identity.name) else {
                return  // gone already: what we wanted
            }
            guard ObjectMetadata.uid(live) == identity.uid,
                  live[path: ["metadata", "resourceVersion"]]?.string != resourceVersion,
                  OwnerReferences.all(of: live) == owners else { throw error }
            options.preconditionResourceVersion = nil
            try await context.api.delete(type, namespace: identity.namespace, name: identity.name, options: options)
        }
    }

    /// Removes `finalizer` from the live `identity`, retrying on conflicts (`removeFinalizer`).
    /// Nothing to do when the object or the finalizer is gone.
    func removeFinalizer(_ finalizer: String, _ type: ResourceType, _ identity: GCIdentity) async throws {
        let attempts = 5
        for attempt in 1...attempts {
            guard let live = try await context.api.getIfPresent(type, namespace: identity.namespace, name: identity.name),
                  ObjectMetadata.uid(live) == identity.uid,
                  let patch = GCPatches.removeFinalizer(finalizer, from: live) else { return }
            do {
                _ = try await context.api.patch(type, namespace: identity.namespace, name: identity.name, patch,
                                                kind: .merge, subresource: nil)
                return
            } catch where APIErrors.isConflict(error) && attempt < attempts {
                continue
            } catch let status as KubeStatus where status.code == 404 {
                return
            }
        }
    }
}
