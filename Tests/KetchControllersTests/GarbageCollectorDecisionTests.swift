@testable import KetchControllers
import KubeCore
import Testing

/// What the garbage collector does with an item, given what it found behind its owners, and
/// the patches it sends.
@Suite struct GarbageCollectorDecisionTests {
    typealias F = GarbageCollectorFixtures
    let owner = F.object("apps/v1", "ReplicaSet", "a", uid: "a")
    let other = F.object("apps/v1", "ReplicaSet", "b", uid: "b")
    var item: JSONValue { F.object("v1", "Pod", "p", uid: "p", owners: [F.reference(to: owner), F.reference(to: other, controller: false)]) }
    var references: [OwnerReferences.Reference] { OwnerReferences.all(of: item) }

    func action(_ states: [String: GCOwnerState], latest: JSONValue? = nil, hasDependents: Bool = false) -> GCAction {
        GCDecision.action(for: latest ?? item, GCDecision.classify(references, states: states),
                          hasDependents: hasDependents, dependentDeletingDependents: false)
    }

    @Test func noOwnerLeftMeansBackgroundDeletion() {
        #expect(action([:]) == .delete(policy: "Background", unblockFirst: false))
        let orphaning = F.object("v1", "Pod", "p", uid: "p", owners: [F.reference(to: owner)], finalizers: ["orphan"])
        #expect(action([:], latest: orphaning) == .delete(policy: "Orphan", unblockFirst: false))
    }

    @Test func aLivingOwnerKeepsTheItemButStaleReferencesGo() {
        #expect(action(["a": .present(owner), "b": .present(other)]) == .none)
        #expect(action(["a": .present(owner), "b": .absent]) == .removeOwnerReferences(["b"]))
        let foreground = F.object("apps/v1", "ReplicaSet", "b", uid: "b", finalizers: ["foregroundDeletion"], deleting: true)
        #expect(action(["a": .present(owner), "b": .present(foreground)]) == .removeOwnerReferences(["b"]))
    }

    @Test func anOwnerDeletingInTheForegroundTakesItsDependentsAlong() {
        let foreground = F.object("apps/v1", "ReplicaSet", "a", uid: "a", finalizers: ["foregroundDeletion"], deleting: true)
        // An item with dependents of its own goes in the foreground too; a leaf in the background.
        #expect(action(["a": .present(foreground), "b": .absent], hasDependents: true) == .delete(policy: "Foreground", unblockFirst: false))
        #expect(action(["a": .present(foreground), "b": .absent]) == .delete(policy: "Background", unblockFirst: false))
        // An owner being deleted without the foreground finalizer is still an owner.
        let background = F.object("apps/v1", "ReplicaSet", "a", uid: "a", deleting: true)
        #expect(action(["a": .present(background), "b": .absent]) == .removeOwnerReferences(["b"]))
    }

    @Test func anUncheckableOwnerIsNeverTakenAsGone() {
        #expect(action(["a": .unresolvable, "b": .absent]) == .none)
    }

    @Test func deleteOwnerReferencePatchRemovesOnlyThatOwner() throws {
        let patch = GCPatches.deleteOwnerReferences(dependentUID: "p", ownerUIDs: ["b"])
        let patched = try StrategicMergePatch.apply(patch, to: item)
        #expect(OwnerReferences.all(of: patched).map(\.uid) == ["a"])
        #expect(patched[path: ["metadata", "uid"]] == .string("p"))
    }

    @Test func unblockPatchClearsBlockOwnerDeletion() throws {
        let patch = try #require(GCPatches.unblockOwnerReferences(uid: "p", owners: references))
        let patched = try StrategicMergePatch.apply(patch, to: item)
        #expect(OwnerReferences.all(of: patched).allSatisfy { !$0.blockOwnerDeletion })
        #expect(OwnerReferences.all(of: patched).count == 2)
        let unblocked = OwnerReferences.all(of: patched)
        #expect(GCPatches.unblockOwnerReferences(uid: "p", owners: unblocked) == nil)
    }

    @Test func removeFinalizerPatchKeepsOthersAndGuardsTheVersion() {
        var held = F.object("apps/v1", "ReplicaSet", "a", uid: "a", finalizers: ["example.com/x", "orphan"])
        held["metadata"]?["resourceVersion"] = .string("7")
        let patch = GCPatches.removeFinalizer("orphan", from: held)
        #expect(patch?[path: ["metadata", "finalizers"]] == .array([.string("example.com/x")]))
        #expect(patch?[path: ["metadata", "resourceVersion"]] == .string("7"))
        #expect(GCPatches.removeFinalizer("foregroundDeletion", from: held) == nil)
        let only = F.object("apps/v1", "ReplicaSet", "a", uid: "a", finalizers: ["orphan"])
        #expect(MergePatch.apply(GCPatches.removeFinalizer("orphan", from: only)!, to: only)[path: ["metadata", "finalizers"]] == nil)
    }
}
