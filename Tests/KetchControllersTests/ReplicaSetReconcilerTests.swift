import Foundation
import Testing
@testable import KetchControllers
import KubeClient
import KubeCore
import KubeTestSupport

@Suite("ReplicaSet reconciler")
struct ReplicaSetReconcilerTests {
    typealias F = ReplicaSetFixtures
    let key = ObjectKey(namespace: "default", name: "web-abc")

    @Test func createsMissingPodsOnceEvenWhileTheCacheLagsAndAfterARestart() async throws {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.replicaSets, F.replicaSet(replicas: 3))
        let context = F.context(api)
        let reconciler = ReplicaSetReconciler(flavor: .replicaSet, informers: context.informers)
        await F.startInformers(context, [BuiltinResources.replicaSets, BuiltinResources.pods])
        // A cache that stops here never sees the pods created below, like one lagging behind.
        context.informers.stop()

        let first = try await reconciler.reconcile(key, context: context)
        #expect(await F.writes(api, "create", BuiltinResources.pods).count == 3)
        let second = try await reconciler.reconcile(key, context: context)
        #expect(await F.writes(api, "create", BuiltinResources.pods).count == 3)
        #expect(first == .requeue(after: .seconds(5)) && second == first)

        let pods = await api.objects(BuiltinResources.pods)
        #expect(pods.allSatisfy { ObjectMetadata.name($0).hasPrefix("web-abc-") && ObjectMetadata.name($0).count == 13 })
        #expect(pods.allSatisfy { OwnerReferences.controllerRef(of: $0)?.uid == F.rsUID })
        #expect(pods.allSatisfy { ObjectMetadata.labels($0) == ["app": "web", "tier": "front"] })
        #expect(await F.eventually { await F.events(api).count == 3 })
        #expect(await F.events(api) == pods.map { "SuccessfulCreate: Created pod: \(ObjectMetadata.name($0))" }.sorted())

        // kill -9 and start again: the new cache lists the pods, so nothing more is created.
        let restarted = F.context(api)
        let again = ReplicaSetReconciler(flavor: .replicaSet, informers: restarted.informers)
        await F.startInformers(restarted, [BuiltinResources.replicaSets, BuiltinResources.pods])
        defer { restarted.informers.stop() }
        #expect(try await again.reconcile(key, context: restarted) == .done)
        #expect(await F.writes(api, "create", BuiltinResources.pods).count == 3)
        let rs = await api.object(BuiltinResources.replicaSets, namespace: "default", name: "web-abc")
        #expect(rs?[path: ["status", "replicas"]]?.int == 3)
        #expect(rs?[path: ["status", "observedGeneration"]]?.int == 1)
    }

    @Test func deletesTheWorstSurplusPods() async throws {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.replicaSets, F.replicaSet(replicas: 1))
        for pod in [F.pod("good"), F.pod("unready", ready: false), F.pod("pending", node: "", phase: "Pending", ready: false)] {
            await api.seed(BuiltinResources.pods, pod)
        }
        let context = F.context(api)
        let reconciler = ReplicaSetReconciler(flavor: .replicaSet, informers: context.informers)
        await F.startInformers(context, [BuiltinResources.replicaSets, BuiltinResources.pods])
        defer { context.informers.stop() }

        _ = try await reconciler.reconcile(key, context: context)
        #expect(Set(await F.writes(api, "delete", BuiltinResources.pods).compactMap(\.name)) == ["unready", "pending"])
        #expect(await F.eventually { await F.events(api).count == 2 })
        #expect(await F.events(api) == ["SuccessfulDelete: Deleted pod: pending", "SuccessfulDelete: Deleted pod: unready"])
    }

    @Test func adoptsMatchingOrphansAndReleasesPodsThatStoppedMatching() async throws {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.replicaSets, F.replicaSet(replicas: 2))
        await api.seed(BuiltinResources.pods, F.pod("orphan", owned: false))
        await api.seed(BuiltinResources.pods, F.pod("owned"))
        await api.seed(BuiltinResources.pods, F.pod("relabelled", labels: ["app": "debug"]))
        let context = F.context(api)
        let reconciler = ReplicaSetReconciler(flavor: .replicaSet, informers: context.informers)
        await F.startInformers(context, [BuiltinResources.replicaSets, BuiltinResources.pods])
        defer { context.informers.stop() }

        _ = try await reconciler.reconcile(key, context: context)
        let adopted = await api.object(BuiltinResources.pods, namespace: "default", name: "orphan")
        #expect(adopted.flatMap { OwnerReferences.controllerRef(of: $0) }?.uid == F.rsUID)
        let released = await api.object(BuiltinResources.pods, namespace: "default", name: "relabelled")
        #expect(released.flatMap { OwnerReferences.controllerRef(of: $0) } == nil)
        #expect(await F.writes(api, "create", BuiltinResources.pods).isEmpty)
        #expect(await F.writes(api, "delete", BuiltinResources.pods).isEmpty)
    }

    @Test func failedCreatesAreReportedAndSlowStartStopsEarly() async throws {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.replicaSets, F.replicaSet(replicas: 5))
        await api.failNext(verb: "create", resource: BuiltinResources.pods,
                           with: KubeStatus(code: 403, reason: "Forbidden", message: "pods \"web-abc-\" is forbidden: exceeded quota"))
        let context = F.context(api)
        let reconciler = ReplicaSetReconciler(flavor: .replicaSet, informers: context.informers)
        await F.startInformers(context, [BuiltinResources.replicaSets, BuiltinResources.pods])
        defer { context.informers.stop() }

        await #expect(throws: KubeStatus.self) { try await reconciler.reconcile(key, context: context) }
        #expect(await api.actions.filter { $0.verb == "create" && $0.resource == "pods" }.count <= 1)
        let rs = await api.object(BuiltinResources.replicaSets, namespace: "default", name: "web-abc")
        let failure = WorkloadCondition.list(in: rs?["status"]).condition("ReplicaFailure")
        #expect(failure?.reason == "FailedCreate")
        #expect(failure?.message == "pods \"web-abc-\" is forbidden: exceeded quota")
        #expect(await F.eventually { await F.events(api).count == 1 })
        #expect(await F.events(api) == ["FailedCreate: Error creating: pods \"web-abc-\" is forbidden: exceeded quota"])
    }

    @Test func replicationControllersKeepTheirPodsToo() async throws {
        let api = FakeKubeAPI()
        var rc = F.replicaSet(replicas: 2)
        rc["apiVersion"] = .string("v1")
        rc["kind"] = .string("ReplicationController")
        rc[at: ["spec", "selector"]] = .object(["app": .string("web")])
        await api.seed(BuiltinResources.replicationControllers, rc)
        let context = F.context(api, component: "replication-controller")
        let reconciler = ReplicaSetReconciler(flavor: .replicationController, informers: context.informers)
        await F.startInformers(context, [BuiltinResources.replicationControllers, BuiltinResources.pods])
        defer { context.informers.stop() }

        _ = try await reconciler.reconcile(key, context: context)
        let pods = await api.objects(BuiltinResources.pods)
        #expect(pods.count == 2)
        #expect(pods.allSatisfy { OwnerReferences.controllerRef(of: $0)?.kind == "ReplicationController" })
        #expect(pods.allSatisfy { OwnerReferences.controllerRef(of: $0)?.apiVersion == "v1" })
    }

    @Test func podEventsWakeTheirOwnerOrMatchingControllers() async {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.replicaSets, F.replicaSet())
        let context = F.context(api)
        await F.startInformers(context, [BuiltinResources.replicaSets])
        defer { context.informers.stop() }
        let owners = context.informer(BuiltinResources.replicaSets)
        #expect(ReplicaSetReconciler.ownerKeys(of: F.pod("a"), flavor: .replicaSet, owners: owners) == [key])
        #expect(ReplicaSetReconciler.ownerKeys(of: F.pod("b", owned: false), flavor: .replicaSet, owners: owners) == [key])
        #expect(ReplicaSetReconciler.ownerKeys(of: F.pod("c", labels: ["app": "db"], owned: false), flavor: .replicaSet,
                                               owners: owners).isEmpty)
    }
}
