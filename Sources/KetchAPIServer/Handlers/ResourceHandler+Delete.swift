import Foundation
import Hummingbird
import KubeCore

/// delete and deletecollection, with finalizers, preconditions and namespace contents.
extension ResourceHandler {
    /// DELETE of one object: preconditions checked, held by finalizers (or foreground
    /// propagation) as a deletionTimestamp, removed otherwise.
    func delete(_ type: ResourceType, namespace: String?, name: String, query: RequestQuery, body: [UInt8]) async throws -> Response {
        var options: JSONValue = .object([:])
        if !body.isEmpty {
            if let parsed = try? JSONValue(parsing: Data(body)) { options = parsed }
            else if let parsed = try? KubeProtobuf.decode(body) { options = parsed }
        }
        let dryRun = query["dryRun"] == "All" || options["dryRun"]?.array?.contains(.string("All")) == true
        let existing = try await fetch(type, namespace, name)
        if let uid = options["preconditions"]?["uid"]?.string, uid != existing["metadata"]?["uid"]?.string {
            throw KubeStatus.conflict(type, name: name, why: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(existing["metadata"]?["uid"]?.string ?? "")")
        }
        if let rv = options["preconditions"]?["resourceVersion"]?.string, rv != existing["metadata"]?["resourceVersion"]?.string {
            throw KubeStatus.conflict(type, name: name, why: "Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(existing["metadata"]?["resourceVersion"]?.string ?? "")")
        }
        if dryRun { return KubeResponses.json(existing) }
        let finalizers = existing["metadata"]?["finalizers"]?.array ?? []
        let propagation = options["propagationPolicy"]?.string ?? query["propagationPolicy"]
        if !finalizers.isEmpty || propagation == "Foreground" {
            // Finalizers hold the object: mark it and let whoever owns the finalizer remove it.
            var object = existing
            var meta = object["metadata"] ?? .object([:])
            if meta["deletionTimestamp"] == nil || meta["deletionTimestamp"] == .null {
                meta["deletionTimestamp"] = .string(KubeTime.rfc3339())
                meta["deletionGracePeriodSeconds"] = .integer(0)
                if propagation == "Foreground", finalizers.isEmpty {
                    // No dependents are tracked, so foreground deletion completes at once.
                    return try await removeObject(type, namespace: namespace, name: name)
                }
                object["metadata"] = meta
                let stored = try await store.update(type, object)
                return KubeResponses.json(stored)
            }
            return KubeResponses.json(existing)
        }
        if type.group.isEmpty, type.kind == "Namespace" {
            try await deleteNamespaceContents(name)
        }
        return try await removeObject(type, namespace: namespace, name: name)
    }

    private func removeObject(_ type: ResourceType, namespace: String?, name: String) async throws -> Response {
        guard let deleted = try await store.delete(type, namespace: namespace, name: name) else {
            throw KubeStatus.notFound(type, name: name)
        }
        noteCatalogueChange(type, nil, key: store.key(type, namespace: namespace, name: name))
        await releaseClusterIPs(type, deleted)
        if type.group.isEmpty, type.kind == "Namespace" {
            var object = deleted
            var status = object["status"] ?? .object([:])
            status["phase"] = .string("Terminating")
            object["status"] = status
            return KubeResponses.json(object)
        }
        return KubeResponses.json(deleted)
    }

    /// Empties a namespace before it goes, as the namespace controller would.
    func deleteNamespaceContents(_ namespace: String) async throws {
        for type in registry.catalogue.all where type.namespaced {
            let prefix = type.listPrefix(root: store.root, namespace: namespace)
            let page = try await store.backend.range(start: prefix, end: prefix.prefixRangeEnd, limit: 0, revision: 0)
            for stored in page.values {
                if case .written = try await store.backend.delete(stored.key, expected: stored.modRevision),
                   let object = try? RegistryObjectStore.decode(stored) {
                    await releaseClusterIPs(type, object)
                }
            }
        }
    }

    /// DELETE of a collection: every object the selectors match.
    func deleteCollection(_ type: ResourceType, namespace: String?, query: RequestQuery, shape: ResponseShape) async throws -> Response {
        let filter = try ListRequest(query: query, type: type, verb: .deleteCollection).filter
        let page = try await store.list(type, namespace: namespace, options: .init(filter: filter))
        var deleted: [JSONValue] = []
        for item in page.items {
            let (ns, name) = RegistryObjectStore.identity(item)
            if let gone = try await store.delete(type, namespace: ns, name: name) {
                await releaseClusterIPs(type, gone)
                deleted.append(gone)
            }
        }
        return KubeResponses.json(ResponseShape.object.renderList(deleted, type, listMeta: .object(["resourceVersion": .string(page.resourceVersion)])))
    }

    /// Gives a deleted Service's cluster IPs back to the range. The Service is gone either way,
    /// so a failure is logged, not returned: the address stays taken until an operator frees it.
    func releaseClusterIPs(_ type: ResourceType, _ object: JSONValue) async {
        guard type.group.isEmpty, type.kind == "Service" else { return }
        let ips = ServiceIPAllocator.clusterIPs(object)
        do {
            try await services.release(ips, store: store)
        } catch {
            logger.warning("could not release a Service's cluster IPs", metadata: ["ips": "\(ips)", "error": "\(error)"])
        }
    }
}
