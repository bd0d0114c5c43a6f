import Foundation
import Hummingbird
import KubeCore

/// Namespace deletion as kube-apiserver's namespace storage does it: the first DELETE only marks
/// the namespace Terminating; the namespace controller empties it and clears the `kubernetes`
/// finalizer through `/finalize`, and the namespace goes once `spec.finalizers` and
/// `metadata.finalizers` are both empty. The NamespaceLifecycle admission plugin keeps the
/// system namespaces from being deleted.
extension ResourceHandler {
    /// The namespaces NamespaceLifecycle refuses to delete.
    static let immortalNamespaces: Set<String> = ["default", "kube-system", "kube-public"]

    /// DELETE of a Namespace (namespace storage's `REST.Delete`): 200 with the namespace, now
    /// Terminating, on the first request; later ones answer with it while `spec.finalizers`
    /// holds it, then delete it as any object.
    func deleteNamespace(_ name: String, options: DeleteOptions) async throws -> Response {
        let type = BuiltinResources.namespaces
        if Self.immortalNamespaces.contains(name) {
            throw KubeStatus.admissionForbidden(type, name: name, "this namespace may not be deleted")
        }
        let existing = try await fetch(type, nil, name)
        try DeletionRules.checkStoragePreconditions(existing, type, uid: options.preconditionUID,
                                                    resourceVersion: options.preconditionResourceVersion)
        let accepted = options.orphanDependents == false
        if !DeletionRules.isDeleting(existing) {
            let marked = try await markTerminating(name, options: options)
            return KubeResponses.json(marked, status: accepted ? .accepted : .ok)
        }
        if !(existing["spec"]?["finalizers"]?.array ?? []).isEmpty {
            return KubeResponses.json(existing, status: accepted ? .accepted : .ok)
        }
        let outcome = try await deleteObject(type, namespace: nil, name: name, options: options)
        return KubeResponses.json(outcome.body, status: !outcome.deleted && accepted ? .accepted : .ok)
    }

    /// The first delete's compare-and-swap: deletionTimestamp (kept if set meanwhile), phase
    /// Terminating, and the garbage collector's finalizers for the requested propagation.
    private func markTerminating(_ name: String, options: DeleteOptions, now: Date = Date()) async throws -> JSONValue {
        let type = BuiltinResources.namespaces
        for _ in 0..<16 {
            let current = try await fetch(type, nil, name)
            try DeletionRules.checkStoragePreconditions(current, type, uid: options.preconditionUID,
                                                        resourceVersion: options.preconditionResourceVersion)
            let marked = Self.terminating(current, options: options, now: now)
            if options.dryRun || marked == current { return marked }
            do {
                return try await store.update(type, marked)
            } catch let status as KubeStatus where status.reason == "Conflict" {
                continue
            }
        }
        throw KubeStatus.conflict(type, name: name)
    }

    /// `namespace` as the first DELETE leaves it: deleting since `now` (unless already),
    /// Terminating, with `orphan`/`foregroundDeletion` as the options ask (kept as they are when
    /// the options say nothing).
    static func terminating(_ namespace: JSONValue, options: DeleteOptions, now: Date) -> JSONValue {
        var object = namespace
        var meta = object["metadata"] ?? .object([:])
        if !DeletionRules.isDeleting(namespace) { meta["deletionTimestamp"] = .string(KubeTime.rfc3339(now)) }
        if let finalizers = DeletionRules.garbageCollectionFinalizers(namespace, BuiltinResources.namespaces, options) {
            meta["finalizers"] = finalizers.isEmpty ? nil : .array(finalizers.map(JSONValue.string))
        }
        object["metadata"] = meta
        var status = object["status"] ?? .object([:])
        status["phase"] = .string("Terminating")
        object["status"] = status
        return object
    }

    /// 422 for a `/finalize` whose `spec.finalizers` names something that is neither a standard
    /// finalizer nor fully qualified.
    func validateFinalize(_ namespace: JSONValue) throws {
        let errors = TypeStrategies.namespaceFinalizerErrors(namespace)
        guard errors.isEmpty else {
            throw KubeStatus.invalid(group: "", kind: "Namespace", name: namespace["metadata"]?["name"]?.string ?? "", errors: errors)
        }
    }
}
