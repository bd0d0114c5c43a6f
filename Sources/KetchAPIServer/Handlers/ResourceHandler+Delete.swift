import Foundation
import Hummingbird
import KubeCore

/// delete and deletecollection as kube-apiserver's generic store does them (`Store.Delete`):
/// graceful deletion of pods, the garbage collector's finalizers for foreground and orphan
/// propagation, other finalizers holding the object, and preconditions.
extension ResourceHandler {
    /// How one DELETE ended: the body to answer with, and whether the object is gone.
    struct DeleteOutcome: Sendable {
        /// The object (kept, or deleted for stores that return it) or a Success Status.
        var body: JSONValue
        /// False while a grace period or finalizers keep the object.
        var deleted: Bool
    }

    /// DELETE of one object. 200 with the object while it stays (a grace period, finalizers),
    /// 200 with the deleted object or a Status once it is gone; 202 when it stays and the
    /// request set `orphanDependents: false`, as upstream's handler answers.
    func delete(_ type: ResourceType, namespace: String?, name: String, query: RequestQuery, body: [UInt8]) async throws -> Response {
        let options = try DeleteOptions(body: body, query: query)
        try options.validate()
        if type.group.isEmpty, type.kind == "Namespace" {
            return try await deleteNamespace(name, options: options)
        }
        let outcome = try await deleteObject(type, namespace: namespace, name: name, options: options)
        let accepted = !outcome.deleted && options.orphanDependents == false
        return KubeResponses.json(outcome.body, status: accepted ? .accepted : .ok)
    }

    /// `Store.Delete`: marks the object for graceful deletion or finalization, or removes it.
    func deleteObject(_ type: ResourceType, namespace: String?, name: String, options requested: DeleteOptions,
                      now: Date = Date()) async throws -> DeleteOutcome {
        let existing = try await fetch(type, namespace, name)
        var options = requested
        var probe = existing
        let decision = try DeletionRules.beforeDelete(&probe, type, options: &options, now: now)
        // A deletion under way cannot change finalizers or lengthen the grace period.
        if decision.pending { return DeleteOutcome(body: finalized(type, existing), deleted: false) }
        let pendingFinalizers = !DeletionRules.finalizers(existing).isEmpty
        let gcChange = DeletionRules.garbageCollectionFinalizers(existing, type, options) != nil
        var expectedVersion = options.preconditionResourceVersion
        var lastExisting: JSONValue?
        if decision.graceful || pendingFinalizers || gcChange {
            switch try await markForDeletion(type, namespace: namespace, name: name, options: options, now: now) {
            case .kept(let object):
                return DeleteOutcome(body: object, deleted: false)
            case .alreadyDeleting:
                return DeleteOutcome(body: finalized(type, existing), deleted: false)
            case .deleteNow(let updated):
                lastExisting = updated
                if let updated, expectedVersion != nil {
                    expectedVersion = updated["metadata"]?["resourceVersion"]?.string
                }
            }
        }
        if options.dryRun { return DeleteOutcome(body: finalized(type, lastExisting ?? existing), deleted: true) }
        do {
            let deleted = try await removeObject(type, namespace: namespace, name: name,
                                                 uid: options.preconditionUID, resourceVersion: expectedVersion)
            return DeleteOutcome(body: finalized(type, deleted), deleted: true)
        } catch let status as KubeStatus where status.code == 404 {
            // A graceless delete races the kubelet's own: whoever loses finds it gone.
            guard let lastExisting else { throw status }
            return DeleteOutcome(body: finalized(type, lastExisting), deleted: true)
        }
    }

    /// What `updateForGracefulDeletionAndFinalizers` left to do.
    enum DeletionMark: Sendable {
        /// The object stays (a grace period runs, or finalizers hold it); as now stored.
        case kept(JSONValue)
        /// Someone else started a graceful deletion meanwhile.
        case alreadyDeleting
        /// Remove it now; `updated` is the state written first (a grace period of 0), if any.
        case deleteNow(updated: JSONValue?)
    }

    /// `updateForGracefulDeletionAndFinalizers`: one compare-and-swap on the current object
    /// that sets the deletion timestamp, grace period and garbage collector finalizers.
    func markForDeletion(_ type: ResourceType, namespace: String?, name: String, options requested: DeleteOptions,
                         now: Date) async throws -> DeletionMark {
        for _ in 0..<16 {
            guard let current = try await store.get(type, namespace: namespace, name: name) else {
                throw KubeStatus.notFound(type, name: name)
            }
            try DeletionRules.checkStoragePreconditions(current, type, uid: requested.preconditionUID,
                                                        resourceVersion: requested.preconditionResourceVersion)
            var object = current
            var options = requested
            let decision = try DeletionRules.beforeDelete(&object, type, options: &options, now: now)
            if decision.pending { return .alreadyDeleting }
            if let finalizers = DeletionRules.garbageCollectionFinalizers(object, type, options) {
                var meta = object["metadata"] ?? .object([:])
                meta["finalizers"] = .array(finalizers.map(JSONValue.string))
                object["metadata"] = meta
            }
            let pendingFinalizers = !DeletionRules.finalizers(object).isEmpty
            if !decision.graceful {
                guard pendingFinalizers else { return .deleteNow(updated: nil) }
                DeletionRules.markAsDeleting(&object, now: now)
            }
            let stored: JSONValue
            if object == current || options.dryRun {
                // etcd3's GuaranteedUpdate writes nothing when nothing changed.
                stored = object
            } else {
                do {
                    stored = try await store.update(type, object)
                } catch let status as KubeStatus where status.reason == "Conflict" {
                    continue
                }
            }
            let grace = decision.graceful ? options.gracePeriodSeconds ?? 0 : 0
            if pendingFinalizers || grace > 0 { return .kept(stored) }
            return .deleteNow(updated: stored)
        }
        throw KubeStatus.conflict(type, name: name)
    }

    /// Removes the object, checking the preconditions against what is stored at that moment,
    /// and runs the after-delete work (catalogue, cluster IPs). 404 when it is gone already.
    func removeObject(_ type: ResourceType, namespace: String?, name: String, uid: String? = nil,
                      resourceVersion: String? = nil) async throws -> JSONValue {
        let key = store.key(type, namespace: namespace, name: name)
        while true {
            guard let current = try await store.backend.get(key) else { throw KubeStatus.notFound(type, name: name) }
            let object = try RegistryObjectStore.decode(current)
            try DeletionRules.checkStoragePreconditions(object, type, uid: uid, resourceVersion: resourceVersion)
            switch try await store.backend.delete(key, expected: current.modRevision) {
            case .written(let revision):
                noteCatalogueChange(type, nil, key: key)
                let deleted = RegistryObjectStore.withResourceVersion(object, revision)
                await releaseClusterIPs(type, deleted)
                return deleted
            case .conflict(nil):
                throw KubeStatus.notFound(type, name: name)
            case .conflict:
                continue  // changed between read and delete: check and delete what is there now
            }
        }
    }

    /// `finalizeDelete`: the deleted object for stores that return it, else a Success Status.
    func finalized(_ type: ResourceType, _ object: JSONValue) -> JSONValue {
        if DeletionRules.returnsDeletedObject(type) { return object }
        let meta = object["metadata"]
        return KubeResponses.success(type, name: meta?["name"]?.string ?? "", uid: meta?["uid"]?.string)
    }

    /// DELETE of a collection: `Store.DeleteCollection`, one `Store.Delete` per object the
    /// selectors match (so grace periods and finalizers apply), answered with the list as read.
    func deleteCollection(_ type: ResourceType, namespace: String?, query: RequestQuery, body: [UInt8]) async throws -> Response {
        let filter = try ListRequest(query: query, type: type, verb: .deleteCollection).filter
        let options = try DeleteOptions(body: body, query: query)
        try options.validate()
        let limit = Int(query["limit"] ?? "") ?? 0
        let page = try await store.list(type, namespace: namespace, options: .init(limit: max(limit, 0), filter: filter))
        for item in page.items {
            let (ns, name) = RegistryObjectStore.identity(item)
            do {
                _ = try await deleteObject(type, namespace: ns, name: name, options: options)
            } catch let status as KubeStatus where status.code == 404 {
                continue
            }
        }
        var listMeta: [String: JSONValue] = ["resourceVersion": .string(page.resourceVersion)]
        if let token = page.continueToken { listMeta["continue"] = .string(token) }
        return KubeResponses.json(ResponseShape.object.renderList(page.items, type, listMeta: .object(listMeta)))
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
