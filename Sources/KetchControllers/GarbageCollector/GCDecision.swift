import KubeCore

/// What a live look found behind one owner reference.
enum GCOwnerState: Sendable, Equatable {
    /// Nothing at that name, or an object with another uid (the owner was deleted and perhaps
    /// recreated).
    case absent
    /// The owner as the apiserver returned it.
    case present(JSONValue)
    /// A kind Ketch cannot look up (a custom resource): never taken as gone.
    case unresolvable
}

/// An item's owner references sorted by what became of each owner (`classifyReferences`).
struct GCClassification: Sendable, Equatable {
    /// Owners that exist and are not deleting their dependents.
    var solid: [OwnerReferences.Reference] = []
    /// Owners that no longer exist.
    var dangling: [OwnerReferences.Reference] = []
    /// Owners being deleted in the foreground, waiting for their dependents.
    var waitingForDependentsDeletion: [OwnerReferences.Reference] = []
    /// Owners whose existence could not be checked.
    var unresolved: [OwnerReferences.Reference] = []
}

/// What to do with an item the garbage collector looked at.
enum GCAction: Sendable, Equatable {
    /// Leave it.
    case none
    /// It keeps a live owner: drop its references to these gone or foreground-deleting owners.
    case removeOwnerReferences([String])
    /// Delete it with `policy`; `unblockFirst` clears `blockOwnerDeletion` on its references
    /// first, which breaks a cycle of foreground deletions waiting on each other.
    case delete(policy: String, unblockFirst: Bool)
}

/// The garbage collector's decisions, as pure functions of what it observed
/// (`attemptToDeleteItem` in upstream's garbagecollector.go).
enum GCDecision {
    /// Sorts `references` by the state of each owner (`states` by uid; a missing state means
    /// absent).
    static func classify(_ references: [OwnerReferences.Reference], states: [String: GCOwnerState]) -> GCClassification {
        var result = GCClassification()
        for reference in references {
            switch states[reference.uid] ?? .absent {
            case .absent:
                result.dangling.append(reference)
            case .unresolvable:
                result.unresolved.append(reference)
            case .present(let owner):
                if ObjectMetadata.isDeleting(owner), GCGraph.has(GCGraph.foregroundFinalizer, owner) {
                    result.waitingForDependentsDeletion.append(reference)
                } else {
                    result.solid.append(reference)
                }
            }
        }
        return result
    }

    /// What to do with `latest`, the live item, given its classified owners. `hasDependents`:
    /// the item owns objects itself; `dependentDeletingDependents`: one of them is being
    /// deleted in the foreground too.
    static func action(for latest: JSONValue, _ owners: GCClassification, hasDependents: Bool,
                       dependentDeletingDependents: Bool) -> GCAction {
        if !owners.unresolved.isEmpty { return .none }
        if !owners.solid.isEmpty {
            let stale = owners.dangling + owners.waitingForDependentsDeletion
            return stale.isEmpty ? .none : .removeOwnerReferences(stale.map(\.uid))
        }
        if !owners.waitingForDependentsDeletion.isEmpty, hasDependents {
            // Its own dependents must go before it, so it is deleted in the foreground too.
            return .delete(policy: "Foreground", unblockFirst: dependentDeletingDependents)
        }
        return .delete(policy: policy(for: latest), unblockFirst: false)
    }

    /// The propagation for an item with no owner left: a finalizer already on it is honoured,
    /// otherwise Background.
    static func policy(for latest: JSONValue) -> String {
        if GCGraph.has(GCGraph.orphanFinalizer, latest) { return "Orphan" }
        if GCGraph.has(GCGraph.foregroundFinalizer, latest) { return "Foreground" }
        return "Background"
    }
}
