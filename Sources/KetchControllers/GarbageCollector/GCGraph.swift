import KubeCore

/// The owner → dependents graph the garbage collector keeps from its informers, as upstream's
/// GraphBuilder: each observed change updates the graph and says which objects to look at
/// (``GCWork``). It is a value with no I/O, so every transition can be tested on its own.
///
/// An owner named by a reference but not (yet) observed becomes a "virtual" node and is queued
/// for a check: if a live GET finds nothing, ``confirmAbsent(_:)`` removes it and queues its
/// dependents.
struct GCGraph: Sendable {
    /// The nodes by uid.
    private(set) var nodes: [String: GCNode] = [:]

    /// The finalizer that orphans dependents (`metav1.FinalizerOrphanDependents`).
    static let orphanFinalizer = "orphan"
    /// The finalizer that deletes dependents first (`metav1.FinalizerDeleteDependents`).
    static let foregroundFinalizer = "foregroundDeletion"

    /// The node with `uid`.
    func node(_ uid: String) -> GCNode? { nodes[uid] }

    /// The dependents of `uid` that are in the graph.
    func dependents(of uid: String) -> [GCNode] {
        (nodes[uid]?.dependents ?? []).sorted().compactMap { nodes[$0] }
    }

    /// The dependents whose reference to `uid` has `blockOwnerDeletion: true`.
    func blockingDependents(of uid: String) -> [GCNode] {
        dependents(of: uid).filter { $0.blocks(owner: uid) }
    }

    // MARK: Changes

    /// An object of `type` was added or updated (`old` is its previous state for an update).
    mutating func observe(_ type: ResourceType, _ object: JSONValue, old: JSONValue?) -> GCWork {
        let identity = GCIdentity(type: type, object: object)
        guard !identity.uid.isEmpty else { return GCWork() }
        var work = GCWork()
        let references = OwnerReferences.all(of: object)
        let deleting = ObjectMetadata.isDeleting(object)
        if var node = nodes[identity.uid] {
            // A virtual node becomes real here; its identity is now the observed one.
            node.identity = identity
            node.observed = true
            if deleting { node.beingDeleted = true }
            let (added, removed, changed) = Self.referenceDiffs(old: node.owners, new: references)
            node.owners = references
            nodes[identity.uid] = node
            work.attemptToDelete += unblockedOwners(removed: removed, changed: changed)
            work.attemptToDelete += addDependent(node, to: added)
            removeDependent(identity.uid, from: removed)
        } else {
            let node = GCNode(identity: identity, owners: references, observed: true, beingDeleted: deleting,
                              deletingDependents: deleting && Self.has(Self.foregroundFinalizer, object))
            nodes[identity.uid] = node
            work.attemptToDelete += addDependent(node, to: references)
        }
        let transitions = processTransitions(identity.uid, old: old, new: object)
        work.attemptToDelete += transitions.attemptToDelete
        work.attemptToOrphan += transitions.attemptToOrphan
        return work
    }

    /// An informer saw the object go.
    mutating func observeDeletion(_ type: ResourceType, _ object: JSONValue) -> GCWork {
        remove(ObjectMetadata.uid(object))
    }

    /// A live GET found nothing at `identity` (or another uid there): upstream's virtual delete
    /// event. A node observed under other coordinates stays (a dependent's reference was
    /// wrong); its dependents that used these coordinates are queued, and the coordinates are
    /// recorded as absent.
    mutating func confirmAbsent(_ identity: GCIdentity) -> GCWork {
        guard let node = nodes[identity.uid] else { return GCWork() }
        if node.observed, node.identity != identity {
            let matching = dependents(of: identity.uid).filter { dep in dep.owners.contains { identity.matches($0) } }
            guard !matching.isEmpty else { return GCWork() }
            return GCWork(attemptToDelete: matching.map(\.identity.uid), absent: [identity])
        }
        return remove(identity.uid)
    }

    // MARK: Helpers

    /// Removes a node: its dependents are queued (their owner is gone), and so are its owners
    /// that wait in the foreground for their dependents to go.
    private mutating func remove(_ uid: String) -> GCWork {
        guard let node = nodes.removeValue(forKey: uid) else { return GCWork() }
        removeDependent(uid, from: node.owners)
        var work = GCWork()
        if !node.dependents.isEmpty { work.absent.append(node.identity) }
        work.attemptToDelete += node.dependents.sorted()
        for owner in node.owners {
            if let ownerNode = nodes[owner.uid], ownerNode.deletingDependents { work.attemptToDelete.append(owner.uid) }
        }
        return work
    }

    /// Adds `node` to the dependents of the owners `references` name, creating virtual nodes
    /// for owners not seen yet; returns the virtual owners, which need a look.
    private mutating func addDependent(_ node: GCNode, to references: [OwnerReferences.Reference]) -> [String] {
        var virtual: [String] = []
        for reference in references where !reference.uid.isEmpty {
            if nodes[reference.uid] == nil {
                let identity = GCIdentity(reference: reference, dependentNamespace: node.identity.namespace)
                nodes[reference.uid] = GCNode(identity: identity)
                virtual.append(reference.uid)
            }
            nodes[reference.uid]?.dependents.insert(node.identity.uid)
        }
        return virtual
    }

    private mutating func removeDependent(_ uid: String, from references: [OwnerReferences.Reference]) {
        for reference in references { nodes[reference.uid]?.dependents.remove(uid) }
    }

    /// Owners a dependent no longer blocks: the reference went, or `blockOwnerDeletion` turned
    /// false (`addUnblockedOwnersToDeleteQueue`).
    private func unblockedOwners(removed: [OwnerReferences.Reference],
                                 changed: [(old: OwnerReferences.Reference, new: OwnerReferences.Reference)]) -> [String] {
        let released = removed.filter(\.blockOwnerDeletion) + changed.filter { $0.old.blockOwnerDeletion && !$0.new.blockOwnerDeletion }.map(\.new)
        return released.map(\.uid).filter { nodes[$0] != nil }
    }

    /// Deletion starting with the `orphan` or `foregroundDeletion` finalizer queues the owner.
    private mutating func processTransitions(_ uid: String, old: JSONValue?, new: JSONValue) -> GCWork {
        if Self.deletionStarts(with: Self.orphanFinalizer, old: old, new: new) {
            return GCWork(attemptToOrphan: [uid])
        }
        guard Self.deletionStarts(with: Self.foregroundFinalizer, old: old, new: new), var node = nodes[uid] else {
            return GCWork()
        }
        node.deletingDependents = true
        nodes[uid] = node
        return GCWork(attemptToDelete: node.dependents.sorted() + [uid])
    }

    /// Whether `new` is being deleted with `finalizer` and `old` was not (`deletionStartsWithFinalizer`).
    static func deletionStarts(with finalizer: String, old: JSONValue?, new: JSONValue) -> Bool {
        guard ObjectMetadata.isDeleting(new), has(finalizer, new) else { return false }
        guard let old else { return true }
        return !ObjectMetadata.isDeleting(old) || !has(finalizer, old)
    }

    /// Whether `object` carries `finalizer`.
    static func has(_ finalizer: String, _ object: JSONValue) -> Bool {
        (object[path: ["metadata", "finalizers"]]?.array ?? []).contains(.string(finalizer))
    }

    /// References added, removed and changed between two versions, matched by uid (`referencesDiffs`).
    static func referenceDiffs(old: [OwnerReferences.Reference], new: [OwnerReferences.Reference])
        -> (added: [OwnerReferences.Reference], removed: [OwnerReferences.Reference],
            changed: [(old: OwnerReferences.Reference, new: OwnerReferences.Reference)]) {
        var byUID: [String: OwnerReferences.Reference] = [:]
        for reference in old { byUID[reference.uid] = reference }
        var added: [OwnerReferences.Reference] = []
        var changed: [(old: OwnerReferences.Reference, new: OwnerReferences.Reference)] = []
        for reference in new {
            if let previous = byUID.removeValue(forKey: reference.uid) {
                if previous != reference { changed.append((previous, reference)) }
            } else {
                added.append(reference)
            }
        }
        let removed = old.filter { byUID[$0.uid] != nil }
        return (added, removed, changed)
    }
}
