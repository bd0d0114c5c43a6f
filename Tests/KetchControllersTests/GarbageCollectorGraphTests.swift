@testable import KetchControllers
import KubeCore
import Testing

/// The dependency graph's transitions: what each observed change queues.
@Suite struct GarbageCollectorGraphTests {
    typealias F = GarbageCollectorFixtures
    let rs = F.object("apps/v1", "ReplicaSet", "web", uid: "rs-1")
    var pod: JSONValue { F.object("v1", "Pod", "web-a", uid: "pod-1", owners: [F.reference(to: rs)]) }

    @Test func dependentBeforeOwnerMakesAVirtualOwnerToCheck() {
        var graph = GCGraph()
        let work = graph.observe(BuiltinResources.pods, pod, old: nil)
        #expect(work.attemptToDelete == ["rs-1"])
        let owner = graph.node("rs-1")
        #expect(owner?.observed == false)
        #expect(owner?.identity == GCIdentity(reference: OwnerReferences.all(of: pod)[0], dependentNamespace: "default"))
        #expect(owner?.dependents == ["pod-1"])

        // The informer then sees the owner: the node becomes real and keeps its dependent.
        let seen = graph.observe(BuiltinResources.replicaSets, rs, old: nil)
        #expect(seen.isEmpty)
        #expect(graph.node("rs-1")?.observed == true)
        #expect(graph.dependents(of: "rs-1").map(\.identity.name) == ["web-a"])
    }

    @Test func ownerDeletionQueuesDependentsAndRecordsAbsence() {
        var graph = GCGraph()
        _ = graph.observe(BuiltinResources.replicaSets, rs, old: nil)
        _ = graph.observe(BuiltinResources.pods, pod, old: nil)
        let work = graph.observeDeletion(BuiltinResources.replicaSets, rs)
        #expect(work.attemptToDelete == ["pod-1"])
        #expect(work.absent.map(\.uid) == ["rs-1"])
        #expect(graph.node("rs-1") == nil)
    }

    @Test func foregroundDeletionQueuesDependentsThenOwner() {
        var graph = GCGraph()
        _ = graph.observe(BuiltinResources.replicaSets, rs, old: nil)
        _ = graph.observe(BuiltinResources.pods, pod, old: nil)
        let deleting = F.object("apps/v1", "ReplicaSet", "web", uid: "rs-1", finalizers: ["foregroundDeletion"], deleting: true)
        let work = graph.observe(BuiltinResources.replicaSets, deleting, old: rs)
        #expect(work.attemptToDelete == ["pod-1", "rs-1"])
        #expect(graph.node("rs-1")?.deletingDependents == true)
        #expect(graph.blockingDependents(of: "rs-1").map(\.identity.uid) == ["pod-1"])
        // The same state again (a resync) starts nothing new.
        #expect(graph.observe(BuiltinResources.replicaSets, deleting, old: deleting).isEmpty)
        // The last dependent going wakes the owner, which can now lose its finalizer.
        #expect(graph.observeDeletion(BuiltinResources.pods, pod).attemptToDelete == ["rs-1"])
        #expect(graph.blockingDependents(of: "rs-1").isEmpty)
    }

    @Test func orphanDeletionQueuesTheOwnerForOrphaning() {
        var graph = GCGraph()
        _ = graph.observe(BuiltinResources.replicaSets, rs, old: nil)
        let deleting = F.object("apps/v1", "ReplicaSet", "web", uid: "rs-1", finalizers: ["orphan"], deleting: true)
        let work = graph.observe(BuiltinResources.replicaSets, deleting, old: rs)
        #expect(work.attemptToOrphan == ["rs-1"])
        #expect(work.attemptToDelete.isEmpty)
        #expect(graph.node("rs-1")?.beingDeleted == true)
    }

    @Test func droppingABlockingReferenceWakesTheOwner() {
        var graph = GCGraph()
        _ = graph.observe(BuiltinResources.replicaSets, rs, old: nil)
        _ = graph.observe(BuiltinResources.pods, pod, old: nil)
        let released = F.object("v1", "Pod", "web-a", uid: "pod-1", owners: [F.reference(to: rs, block: false)])
        #expect(graph.observe(BuiltinResources.pods, released, old: pod).attemptToDelete == ["rs-1"])
        #expect(graph.blockingDependents(of: "rs-1").isEmpty)
        let orphaned = F.object("v1", "Pod", "web-a", uid: "pod-1")
        #expect(graph.observe(BuiltinResources.pods, orphaned, old: released).isEmpty)
        #expect(graph.dependents(of: "rs-1").isEmpty)
    }

    @Test func confirmedAbsentVirtualOwnerIsRemovedAndItsDependentsQueued() {
        var graph = GCGraph()
        _ = graph.observe(BuiltinResources.pods, pod, old: nil)
        let identity = try! #require(graph.node("rs-1")).identity
        let work = graph.confirmAbsent(identity)
        #expect(work.attemptToDelete == ["pod-1"])
        #expect(work.absent == [identity])
        #expect(graph.node("rs-1") == nil)
    }

    @Test func wrongCoordinatesDoNotRemoveAnObservedOwner() {
        var graph = GCGraph()
        _ = graph.observe(BuiltinResources.replicaSets, rs, old: nil)
        var wrong = GCIdentity(type: BuiltinResources.replicaSets, object: rs)
        wrong.name = "other"
        #expect(graph.confirmAbsent(wrong).isEmpty)
        #expect(graph.node("rs-1")?.observed == true)
    }

    @Test func ownerKindsResolveToResources() {
        #expect(GCResources.type(apiVersion: "apps/v1", kind: "ReplicaSet") == BuiltinResources.replicaSets)
        #expect(GCResources.type(apiVersion: "v1", kind: "Node") == BuiltinResources.nodes)
        #expect(GCResources.type(apiVersion: "apps/v1beta2", kind: "Deployment") == BuiltinResources.deployments)
        #expect(GCResources.type(apiVersion: "example.com/v1", kind: "Widget") == nil)
        // A Node owner is cluster-scoped, whatever the dependent's namespace.
        let node = F.object("v1", "Node", "n1", namespace: nil, uid: "node-1")
        let mirror = OwnerReferences.all(of: F.object("v1", "Pod", "m", uid: "m", owners: [F.reference(to: node)]))[0]
        #expect(GCIdentity(reference: mirror, dependentNamespace: "kube-system").namespace == nil)
    }
}
