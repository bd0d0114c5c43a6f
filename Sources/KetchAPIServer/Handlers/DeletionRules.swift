import Foundation
import KubeCore

/// What kube-apiserver's generic store decides on a DELETE, as pure functions over the stored
/// object: graceful deletion (`rest.BeforeDelete` with the pod strategy's
/// `CheckGracefulDelete`), the garbage collector's finalizers
/// (`deletionFinalizersForGarbageCollection`), `markAsDeleting` and, on update,
/// `ShouldDeleteDuringUpdate`. The handlers do the reads and writes around them.
enum DeletionRules {
    /// The garbage collector finalizer of foreground propagation.
    static let foregroundFinalizer = "foregroundDeletion"
    /// The garbage collector finalizer of orphan propagation.
    static let orphanFinalizer = "orphan"

    /// `rest.BeforeDelete`'s answer.
    struct Decision: Equatable {
        /// The object was given (or had shortened) a deletionTimestamp in the future.
        var graceful: Bool
        /// A graceful deletion is already under way and the request does not shorten it.
        var pending: Bool
    }

    /// A type's `DefaultGarbageCollectionPolicy`.
    enum GarbageCollectionPolicy: Equatable {
        /// Dependents are deleted unless the request orphans them (most types).
        case deleteDependents
        /// Dependents are orphaned unless the request says otherwise (core/v1 ReplicationControllers).
        case orphanDependents
        /// The garbage collector never finalizes these (Events).
        case unsupported
    }

    /// Only pods implement `RESTGracefulDeleteStrategy` in kube-apiserver.
    static func supportsGracefulDeletion(_ type: ResourceType) -> Bool {
        type.group.isEmpty && type.plural == "pods"
    }

    /// The stores with `ReturnDeletedObject: true` answer a completed delete with the object;
    /// the rest answer with a Success Status. CRDs answer with the object too: upstream's first
    /// DELETE of one returns it, Terminating, and Ketch has no cleanup finalizer to wait for.
    static func returnsDeletedObject(_ type: ResourceType) -> Bool {
        if type.group.isEmpty {
            return ["pods", "services", "serviceaccounts", "namespaces", "persistentvolumes", "persistentvolumeclaims"].contains(type.plural)
        }
        return (type.group == "storage.k8s.io" && type.plural == "storageclasses")
            || (type.group == "apiextensions.k8s.io" && type.plural == "customresourcedefinitions")
    }

    /// The type's default garbage collection policy (core/v1 ReplicationControllers orphan for
    /// backward compatibility; Event storage opts out).
    static func policy(_ type: ResourceType) -> GarbageCollectionPolicy {
        if type.plural == "events", type.group.isEmpty || type.group == "events.k8s.io" { return .unsupported }
        if type.group.isEmpty, type.plural == "replicationcontrollers" { return .orphanDependents }
        return .deleteDependents
    }

    /// The object's finalizers.
    static func finalizers(_ object: JSONValue) -> [String] {
        (object["metadata"]?["finalizers"]?.array ?? []).compactMap(\.string)
    }

    /// Whether `metadata.deletionTimestamp` is set.
    static func isDeleting(_ object: JSONValue) -> Bool {
        guard let stamp = object["metadata"]?["deletionTimestamp"] else { return false }
        return !stamp.isNull
    }

    /// `rest.BeforeDelete`: for pods, sets deletionTimestamp and deletionGracePeriodSeconds (or
    /// shortens a pending graceful deletion) and fills `options.gracePeriodSeconds` in. Throws
    /// 409 when a precondition does not hold.
    static func beforeDelete(_ object: inout JSONValue, _ type: ResourceType, options: inout DeleteOptions, now: Date) throws -> Decision {
        try checkPreconditions(object, type, options)
        if let grace = options.gracePeriodSeconds, grace < 0 { options.gracePeriodSeconds = 1 }
        var meta = object["metadata"] ?? .object([:])
        defer { object["metadata"] = meta }
        if let grace = meta["deletionGracePeriodSeconds"]?.int, grace < 0 { meta["deletionGracePeriodSeconds"] = .integer(1) }
        guard supportsGracefulDeletion(type) else { return Decision(graceful: false, pending: false) }

        if let stamp = meta["deletionTimestamp"], !stamp.isNull {
            // Already being deleted: a request may only shorten the grace period. A stored
            // period of 0 (or none) means an earlier delete stopped half-way: delete now.
            guard let current = meta["deletionGracePeriodSeconds"]?.int, current != 0 else {
                return Decision(graceful: false, pending: false)
            }
            guard let requested = options.gracePeriodSeconds else {
                options.gracePeriodSeconds = current
                return Decision(graceful: false, pending: true)
            }
            if requested >= current { return Decision(graceful: false, pending: true) }
            let deadline = KubeTime.parse(stamp.string ?? "") ?? now
            meta["deletionTimestamp"] = .string(KubeTime.rfc3339(deadline.addingTimeInterval(TimeInterval(requested - current))))
            meta["deletionGracePeriodSeconds"] = .integer(requested)
            return Decision(graceful: true, pending: false)
        }

        let period = podGracePeriod(object, requested: options.gracePeriodSeconds)
        options.gracePeriodSeconds = period
        meta["deletionTimestamp"] = .string(KubeTime.rfc3339(now.addingTimeInterval(TimeInterval(period))))
        meta["deletionGracePeriodSeconds"] = .integer(period)
        // Controllers of an object being deleted stop acting on it: its generation moves.
        if let generation = meta["generation"]?.int, generation > 0 { meta["generation"] = .integer(generation + 1) }
        return Decision(graceful: true, pending: false)
    }

    /// The pod strategy's `CheckGracefulDelete`: the requested period, else
    /// `spec.terminationGracePeriodSeconds`; 0 for a pod on no node or one that has terminated.
    static func podGracePeriod(_ pod: JSONValue, requested: Int?) -> Int {
        var period = requested ?? pod["spec"]?["terminationGracePeriodSeconds"]?.int ?? 0
        if (pod["spec"]?["nodeName"]?.string ?? "").isEmpty { period = 0 }
        if ["Failed", "Succeeded"].contains(pod["status"]?["phase"]?.string ?? "") { period = 0 }
        return period < 0 ? 1 : period
    }

    /// `BeforeDelete`'s early precondition check, in its words.
    static func checkPreconditions(_ object: JSONValue, _ type: ResourceType, _ options: DeleteOptions) throws {
        let meta = object["metadata"]
        let name = meta?["name"]?.string ?? ""
        func conflict(_ why: String) -> KubeStatus {
            let groupKind = type.group.isEmpty ? type.kind : "\(type.kind).\(type.group)"
            var details: [String: JSONValue] = ["name": .string(name), "kind": .string(type.kind)]
            if !type.group.isEmpty { details["group"] = .string(type.group) }
            return KubeStatus(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on \(groupKind) \"\(name)\": \(why)",
                              details: .object(details))
        }
        let uid = meta?["uid"]?.string ?? ""
        if let wanted = options.preconditionUID, wanted != uid {
            throw conflict("the UID in the precondition (\(wanted)) does not match the UID in record (\(uid)). The object might have been deleted and then recreated")
        }
        let rv = meta?["resourceVersion"]?.string ?? ""
        if let wanted = options.preconditionResourceVersion, wanted != rv {
            throw conflict("the ResourceVersion in the precondition (\(wanted)) does not match the ResourceVersion in record (\(rv)). The object might have been modified")
        }
    }

    /// The storage layer's precondition check (`storage.Preconditions.Check`), which guards the
    /// writes themselves: 409 in its words.
    static func checkStoragePreconditions(_ object: JSONValue, _ type: ResourceType, uid: String?, resourceVersion: String?) throws {
        let meta = object["metadata"]
        let name = meta?["name"]?.string ?? ""
        if let uid, uid != meta?["uid"]?.string ?? "" {
            throw KubeStatus.conflict(type, name: name, why: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(meta?["uid"]?.string ?? "")")
        }
        if let resourceVersion, resourceVersion != meta?["resourceVersion"]?.string ?? "" {
            throw KubeStatus.conflict(type, name: name, why: "Precondition failed: ResourceVersion in precondition: \(resourceVersion), ResourceVersion in object meta: \(meta?["resourceVersion"]?.string ?? "")")
        }
    }

    /// `deletionFinalizersForGarbageCollection`: the finalizers the object should carry for this
    /// request's propagation, or nil when they are already right.
    static func garbageCollectionFinalizers(_ object: JSONValue, _ type: ResourceType, _ options: DeleteOptions) -> [String]? {
        let policy = policy(type)
        guard policy != .unsupported else { return nil }
        let existing = finalizers(object)
        var orphan = policy == .orphanDependents
        var foreground = false
        if let explicit = options.orphanDependents {
            orphan = explicit
        } else if let propagation = options.propagationPolicy {
            orphan = propagation == "Orphan"
            foreground = propagation == "Foreground"
        } else if let marker = existing.first(where: { $0 == orphanFinalizer || $0 == foregroundFinalizer }) {
            orphan = marker == orphanFinalizer
            foreground = marker == foregroundFinalizer
        }
        var wanted = existing.filter { $0 != orphanFinalizer && $0 != foregroundFinalizer }
        if orphan { wanted.append(orphanFinalizer) }
        if foreground { wanted.append(foregroundFinalizer) }
        return Set(wanted) == Set(existing) ? nil : wanted
    }

    /// `markAsDeleting`: deletionTimestamp now (unless an earlier one is set) and a grace period
    /// of 0, for an object that finalizers hold.
    static func markAsDeleting(_ object: inout JSONValue, now: Date) {
        var meta = object["metadata"] ?? .object([:])
        let stamp = meta["deletionTimestamp"].flatMap { $0.isNull ? nil : $0.string }
        if stamp == nil, let generation = meta["generation"]?.int, generation > 0 {
            meta["generation"] = .integer(generation + 1)
        }
        if stamp == nil || (KubeTime.parse(stamp ?? "").map { $0 > now } ?? true) {
            meta["deletionTimestamp"] = .string(KubeTime.rfc3339(now))
        }
        meta["deletionGracePeriodSeconds"] = .integer(0)
        object["metadata"] = meta
    }

    /// `ShouldDeleteDuringUpdate`: an update that leaves no finalizers on an object whose
    /// deletion was requested removes it, unless a graceful deletion is still running.
    static func shouldDeleteDuringUpdate(_ updated: JSONValue, existing: JSONValue) -> Bool {
        guard finalizers(updated).isEmpty, isDeleting(existing) else { return false }
        let grace = existing["metadata"]?["deletionGracePeriodSeconds"]?.int
        return grace == nil || grace == 0
    }

    /// ``shouldDeleteDuringUpdate(_:existing:)`` for an object of `type`: a Namespace also needs
    /// an empty `spec.finalizers` (`ShouldDeleteNamespaceDuringUpdate`).
    static func shouldDeleteDuringUpdate(_ updated: JSONValue, existing: JSONValue, _ type: ResourceType) -> Bool {
        if type.group.isEmpty, type.kind == "Namespace", !(updated["spec"]?["finalizers"]?.array ?? []).isEmpty {
            return false
        }
        return shouldDeleteDuringUpdate(updated, existing: existing)
    }
}
