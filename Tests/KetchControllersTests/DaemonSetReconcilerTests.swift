import Foundation
import Testing
@testable import KetchControllers
import KubeClient
import KubeCore
import KubeTestSupport

@Suite("DaemonSet reconciler")
struct DaemonSetReconcilerTests {
    typealias F = DaemonSetFixtures
    typealias R = ReplicaSetFixtures
    let key = ObjectKey(namespace: "default", name: "agent")
    let types = [BuiltinResources.daemonSets, BuiltinResources.pods, BuiltinResources.nodes, BuiltinResources.controllerRevisions]

    @Test func startsOnePinnedPodPerNodeOnceEvenWhileTheCacheLags() async throws {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.daemonSets, F.daemonSet())
        for name in ["n1", "n2", "n3"] { await api.seed(BuiltinResources.nodes, F.node(name)) }
        await api.seed(BuiltinResources.nodes, F.node("tainted", taints: [("dedicated", "NoSchedule")]))
        let context = R.context(api, component: DaemonSetWellKnown.component)
        let reconciler = DaemonSetReconciler(informers: context.informers)
        await R.startInformers(context, types)
        // The cache stops here, so it never shows the pods and revision made below.
        context.informers.stop()

        let first = try await reconciler.reconcile(key, context: context)
        #expect(first == .requeue(after: .seconds(5)))
        _ = try await reconciler.reconcile(key, context: context)
        let pods = await api.objects(BuiltinResources.pods)
        #expect(pods.count == 3)
        #expect(Set(pods.compactMap(DaemonPodTemplate.targetNode)) == ["n1", "n2", "n3"])
        #expect(pods.allSatisfy { ObjectMetadata.name($0).hasPrefix("agent-") && PodReadiness.nodeName($0).isEmpty })
        let revisions = await api.objects(BuiltinResources.controllerRevisions)
        #expect(revisions.count == 1)
        let hash = revisions.first.map(DaemonSetHistory.hash) ?? "?"
        #expect(pods.allSatisfy {
            ObjectMetadata.labels($0) == ["app": "agent", "controller-revision-hash": hash, "pod-template-generation": "1"]
        })
        #expect(pods.allSatisfy { ($0[path: ["spec", "tolerations"]]?.array ?? []).count == 6 })
        #expect(await R.eventually { await R.events(api).count == 3 })
        #expect(await R.events(api) == pods.map { "SuccessfulCreate: Created pod: \(ObjectMetadata.name($0))" }.sorted())
        let ds = await api.object(BuiltinResources.daemonSets, namespace: "default", name: "agent")
        #expect(ds?[path: ["status", "desiredNumberScheduled"]]?.int == 3)
        #expect(ds?[path: ["status", "currentNumberScheduled"]]?.int == 0)
    }

    @Test func reportsStatusAndRollsOutANewTemplateOneNodeAtATime() async throws {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.daemonSets, F.daemonSet())
        for name in ["n1", "n2"] { await api.seed(BuiltinResources.nodes, F.node(name)) }
        let context = R.context(api, component: DaemonSetWellKnown.component)
        let reconciler = DaemonSetReconciler(informers: context.informers)
        await R.startInformers(context, types)
        defer { context.informers.stop() }

        _ = try await reconciler.reconcile(key, context: context)
        // The kubelet's part: the pods run on their nodes and become ready.
        for var pod in await api.objects(BuiltinResources.pods) {
            let node = DaemonPodTemplate.targetNode(of: pod) ?? ""
            pod["spec"]?["nodeName"] = .string(node)
            pod["status"] = F.pod("x", node: "x")["status"]
            await api.seed(BuiltinResources.pods, pod)
        }
        #expect(await R.eventually { context.informer(BuiltinResources.pods).list().allSatisfy(PodReadiness.isReady) })
        _ = try await reconciler.reconcile(key, context: context)
        let ds = await api.object(BuiltinResources.daemonSets, namespace: "default", name: "agent")
        #expect(ds?[path: ["status", "numberReady"]]?.int == 2)
        #expect(ds?[path: ["status", "updatedNumberScheduled"]]?.int == 2)
        #expect(ds?[path: ["status", "observedGeneration"]]?.int == 1)

        await api.seed(BuiltinResources.daemonSets, F.daemonSet(image: "agent:2", generation: 2))
        #expect(await R.eventually { context.informer(BuiltinResources.daemonSets).get(key)?[path: ["metadata", "generation"]]?.int == 2 })
        await api.clearActions()
        _ = try await reconciler.reconcile(key, context: context)
        #expect(await R.writes(api, "delete", BuiltinResources.pods).count == 1)
        #expect(await api.objects(BuiltinResources.controllerRevisions).count == 2)
    }

    @Test func anEmptySelectorIsRefusedWithAnEvent() async throws {
        let api = FakeKubeAPI()
        var ds = F.daemonSet()
        ds["spec"]?["selector"] = .object([:])
        await api.seed(BuiltinResources.daemonSets, ds)
        await api.seed(BuiltinResources.nodes, F.node("n1"))
        let context = R.context(api, component: DaemonSetWellKnown.component)
        await R.startInformers(context, types)
        defer { context.informers.stop() }
        #expect(try await DaemonSetReconciler(informers: context.informers).reconcile(key, context: context) == .done)
        #expect(await api.objects(BuiltinResources.pods).isEmpty)
        #expect(await R.eventually { await R.events(api) == ["SelectingAll: This daemon set is selecting all pods. A non-empty selector is required."] })
    }
}
