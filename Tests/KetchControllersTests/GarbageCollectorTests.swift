import Foundation
@testable import KetchControllers
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

/// The garbage collector against the in-memory apiserver: background, foreground and orphan
/// propagation, and no action on owners that exist.
@Suite struct GarbageCollectorTests {
    typealias F = GarbageCollectorFixtures
    let pods = BuiltinResources.pods
    let replicaSets = BuiltinResources.replicaSets
    let deployments = BuiltinResources.deployments

    /// A Deployment owning a ReplicaSet owning two pods, as the fake stored them.
    func seedTree(_ api: FakeKubeAPI) async -> (deployment: JSONValue, replicaSet: JSONValue, pods: [JSONValue]) {
        let deployment = await api.seed(deployments, F.object("apps/v1", "Deployment", "web"))
        let replicaSet = await api.seed(replicaSets, F.object("apps/v1", "ReplicaSet", "web-1", owners: [F.reference(to: deployment)]))
        var children: [JSONValue] = []
        for name in ["web-1-a", "web-1-b"] {
            children.append(await api.seed(pods, F.object("v1", "Pod", name, owners: [F.reference(to: replicaSet)])))
        }
        return (deployment, replicaSet, children)
    }

    func names(_ api: FakeKubeAPI, _ type: ResourceType) async -> [String] {
        await api.objects(type).map(ObjectMetadata.name)
    }

    /// Runs the collector over `api`, deletes `name` of `type` with `policy`, and waits until
    /// `done`; returns whether it got there, and what the delete answered.
    func collect(_ api: FakeKubeAPI, deleting type: ResourceType, _ name: String, namespace: String? = "default",
                 policy: String?, until done: () async -> Bool) async throws -> (done: Bool, answer: JSONValue) {
        let context = F.context(api)
        return try await F.running(context, [GarbageCollector(context: context, workers: 2)]) {
            let answer = try await api.delete(type, namespace: namespace, name: name, options: KubeDeleteOptions(propagationPolicy: policy))
            return (await F.eventually(done), answer)
        }
    }

    @Test func backgroundDeletionRemovesDependents() async throws {
        let api = FakeKubeAPI()
        let tree = await seedTree(api)
        let gone = try await collect(api, deleting: deployments, "web", policy: "Background") {
            let (sets, left) = (await names(api, replicaSets), await names(api, pods))
            return sets.isEmpty && left.isEmpty
        }
        #expect(gone.done)
        // Each dependent was deleted by uid, after a live look.
        let deletes = await api.writes.filter { $0.verb == "delete" }.compactMap(\.name)
        #expect(Set(deletes) == Set(["web", "web-1"] + tree.pods.map(ObjectMetadata.name)))
    }

    @Test func foregroundDeletionWaitsForDependentsThenRemovesTheOwner() async throws {
        let api = FakeKubeAPI()
        _ = await seedTree(api)
        let done = try await collect(api, deleting: deployments, "web", policy: "Foreground") {
            await names(api, deployments).isEmpty
        }
        // The apiserver held the owner with the finalizer the collector then removed.
        #expect(done.answer[path: ["metadata", "finalizers"]] == .array([.string("foregroundDeletion")]))
        #expect(done.done)
        #expect(await names(api, replicaSets).isEmpty)
        #expect(await names(api, pods).isEmpty)
    }

    @Test func orphanDeletionKeepsDependentsWithoutTheReference() async throws {
        let api = FakeKubeAPI()
        let tree = await seedTree(api)
        let done = try await collect(api, deleting: replicaSets, "web-1", policy: "Orphan") {
            await names(api, replicaSets).isEmpty
        }
        #expect(done.done)
        let left = await api.objects(pods)
        #expect(left.map(ObjectMetadata.name) == tree.pods.map(ObjectMetadata.name))
        #expect(left.allSatisfy { OwnerReferences.all(of: $0).isEmpty })
        // The Deployment lost nothing: it still exists.
        #expect(await names(api, deployments) == ["web"])
    }

    @Test func dependentsOfLiveOwnersStayAndDanglingOnesGo() async throws {
        let api = FakeKubeAPI()
        let owner = await api.seed(replicaSets, F.object("apps/v1", "ReplicaSet", "live"))
        await api.seed(pods, F.object("v1", "Pod", "kept", owners: [F.reference(to: owner)]))
        // Same name as a live owner, but another uid: an earlier incarnation, gone.
        let stale = F.object("apps/v1", "ReplicaSet", "live", uid: "deleted-uid")
        await api.seed(pods, F.object("v1", "Pod", "orphan-of-old", owners: [F.reference(to: stale)]))
        // Two owners, one gone: the pod stays, the dangling reference goes.
        let gone = F.object("apps/v1", "ReplicaSet", "gone", uid: "gone-uid")
        await api.seed(pods, F.object("v1", "Pod", "two-owners", owners: [F.reference(to: owner), F.reference(to: gone, controller: false)]))
        let context = F.context(api)
        let settled = await F.running(context, [GarbageCollector(context: context, workers: 2)]) {
            await F.eventually {
                let remaining = await names(api, pods)
                let twoOwners = await api.object(pods, namespace: "default", name: "two-owners")
                return remaining == ["kept", "two-owners"] && OwnerReferences.all(of: twoOwners ?? .null).count == 1
            }
        }
        #expect(settled)
        #expect(await api.writes.filter { $0.verb == "delete" }.compactMap(\.name) == ["orphan-of-old"])
    }

    @Test func mirrorPodsGoWithTheirNode() async throws {
        let api = FakeKubeAPI()
        let node = await api.seed(BuiltinResources.nodes, F.object("v1", "Node", "n1", namespace: nil))
        await api.seed(pods, F.object("v1", "Pod", "etcd-n1", namespace: "kube-system", owners: [F.reference(to: node, block: false)]))
        let gone = try await collect(api, deleting: BuiltinResources.nodes, "n1", namespace: nil, policy: nil) {
            await api.objects(pods).isEmpty
        }
        #expect(gone.done)
    }

    @Test func descriptorNames() {
        #expect(GarbageCollector.descriptor.name == "garbage-collector-controller")
        #expect(GarbageCollector.descriptor.aliases == ["garbagecollector"])
    }
}
