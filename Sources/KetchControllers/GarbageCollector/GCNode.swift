/// One object in the garbage collector's dependency graph (upstream's `node`).
struct GCNode: Sendable, Equatable {
    /// Who it is.
    var identity: GCIdentity
    /// Its owner references, as last observed.
    var owners: [OwnerReferences.Reference] = []
    /// The uids of the objects that name it as an owner.
    var dependents: Set<String> = []
    /// False for a "virtual" node: an owner known only from a dependent's reference, not (yet)
    /// seen by an informer.
    var observed = false
    /// Whether it has a deletionTimestamp.
    var beingDeleted = false
    /// Whether it is being deleted in the foreground: its dependents go first.
    var deletingDependents = false

    /// Whether this node's reference to the owner `uid` blocks the owner's foreground deletion.
    func blocks(owner uid: String) -> Bool {
        owners.contains { $0.uid == uid && $0.blockOwnerDeletion }
    }
}

/// What a change of the graph asks the garbage collector to do next.
struct GCWork: Sendable, Equatable {
    /// Uids to look at for deletion (`attemptToDelete`).
    var attemptToDelete: [String] = []
    /// Uids of owners whose dependents must be orphaned (`attemptToOrphan`).
    var attemptToOrphan: [String] = []
    /// Owner identities now known not to exist (`absentOwnerCache`).
    var absent: [GCIdentity] = []

    /// Whether there is nothing to do.
    var isEmpty: Bool { attemptToDelete.isEmpty && attemptToOrphan.isEmpty && absent.isEmpty }
}
