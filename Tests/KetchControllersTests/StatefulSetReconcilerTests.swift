import Foundation
import Testing
@testable import KetchControllers
import KubeClient
import KubeCore
import KubeTestSupport

@Suite("StatefulSet reconciler")
struct StatefulSetReconcilerTests {
    typealias F = StatefulSetFixtures
    typealias R = ReplicaSetFixtures
    let key = ObjectKey(namespace: "default", name: "web")
    let types = [BuiltinResources.statefulSets, BuiltinResources.pods, BuiltinResources.controllerRevisions,
                 BuiltinResources.persistentVolumeClaims]

    @Test func makesTheClaimThenThePodInOrderAndReportsStatus() async throws {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.statefulSets, F.set(replicas: 2))
        let context = R.context(api, component: StatefulSetWellKnown.component)
        let reconciler = StatefulSetReconciler(informers: context.informers)
        await R.startInformers(context, types)
        defer { context.informers.stop() }

        #expect(try await reconciler.reconcile(key, context: context) == .done)
        #expect(await api.writes.filter { $0.verb == "create" && ["persistentvolumeclaims", "pods"].contains($0.resource) }
            .map { "\($0.resource) \($0.name ?? "")" } == ["persistentvolumeclaims www-web-0", "pods web-0"])
        let revisions = await api.objects(BuiltinResources.controllerRevisions)
        #expect(revisions.count == 1)
        let revision = ObjectMetadata.name(revisions[0])
        let pod = await api.object(BuiltinResources.pods, namespace: "default", name: "web-0")
        #expect(pod.map(StatefulPodIdentity.revision(of:)) == revision)
        #expect(await R.eventually { await R.events(api).count == 2 })
        #expect(await R.events(api) == ["SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success",
                                        "SuccessfulCreate: create Pod web-0 in StatefulSet web successful"])
        let set = await api.object(BuiltinResources.statefulSets, namespace: "default", name: "web")
        #expect(set?[path: ["status", "updateRevision"]]?.string == revision)
        #expect(set?[path: ["status", "currentRevision"]]?.string == revision)
        #expect(set?[path: ["status", "observedGeneration"]]?.int == 1)

        // web-1 waits for web-0 to be Running and Ready.
        #expect(await R.eventually { context.informer(BuiltinResources.pods).get(ObjectKey(namespace: "default", name: "web-0")) != nil })
        _ = try await reconciler.reconcile(key, context: context)
        #expect(await api.object(BuiltinResources.pods, namespace: "default", name: "web-1") == nil)
        var running = try #require(pod)
        running["status"] = F.pod(0, revision: revision)["status"]
        await api.seed(BuiltinResources.pods, running)
        #expect(await R.eventually { context.informer(BuiltinResources.pods).list().first.map(PodReadiness.isReady) == true })
        _ = try await reconciler.reconcile(key, context: context)
        #expect(await api.object(BuiltinResources.pods, namespace: "default", name: "web-1") != nil)
        #expect(await api.object(BuiltinResources.persistentVolumeClaims, namespace: "default", name: "www-web-1") != nil)
        let after = await api.object(BuiltinResources.statefulSets, namespace: "default", name: "web")
        #expect(after?[path: ["status", "replicas"]]?.int == 1 && after?[path: ["status", "readyReplicas"]]?.int == 1)
    }

    @Test func deletePolicyOwnsClaimsBySetAndScaleDownKeepsThemByDefault() async throws {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.statefulSets, F.set(replicas: 1, parallel: true, whenDeleted: "Delete"))
        let context = R.context(api, component: StatefulSetWellKnown.component)
        let reconciler = StatefulSetReconciler(informers: context.informers)
        await R.startInformers(context, types)
        defer { context.informers.stop() }

        _ = try await reconciler.reconcile(key, context: context)
        #expect(await R.eventually {
            context.informer(BuiltinResources.persistentVolumeClaims).list().count == 1 && context.informer(BuiltinResources.pods).list().count == 1
        })
        _ = try await reconciler.reconcile(key, context: context)
        let claim = await api.object(BuiltinResources.persistentVolumeClaims, namespace: "default", name: "www-web-0")
        #expect(claim.map { OwnerReferences.all(of: $0).map(\.kind) } == ["StatefulSet"])
    }
}
