import Foundation
import Testing
@testable import KetchControllers
import KubeClient
import KubeCore
import KubeTestSupport

@Suite("Deployment reconciler")
struct DeploymentReconcilerTests {
    typealias F = DeploymentFixtures
    typealias R = ReplicaSetFixtures
    let key = ObjectKey(namespace: "default", name: "web")
    static let types = [BuiltinResources.deployments, BuiltinResources.replicaSets, BuiltinResources.pods]

    /// Plays the ReplicaSet controller and the kubelet: every ReplicaSet's pods exist and are available.
    static func settle(_ api: FakeKubeAPI) async {
        for rs in await api.objects(BuiltinResources.replicaSets) {
            var settled = rs
            let replicas = DeploymentReplicaSet.replicas(rs)
            settled["status"] = .object(["replicas": .integer(replicas), "readyReplicas": .integer(replicas),
                                         "availableReplicas": .integer(replicas),
                                         "observedGeneration": .integer(ObjectMetadata.generation(rs))])
            await api.seed(BuiltinResources.replicaSets, settled)
        }
    }

    /// Waits until the context's caches hold what `api` stores for the Deployment and its ReplicaSets.
    static func caughtUp(_ api: FakeKubeAPI, _ context: ControllerContext) async -> Bool {
        await R.eventually {
            let stored = await api.objects(BuiltinResources.deployments) + api.objects(BuiltinResources.replicaSets)
            return stored.allSatisfy { object in
                let type = object["kind"]?.string == "Deployment" ? BuiltinResources.deployments : BuiltinResources.replicaSets
                return context.informer(type).get(ObjectKey(object))?[path: ["metadata", "resourceVersion"]]
                    == object[path: ["metadata", "resourceVersion"]]
            }
        }
    }

    @Test func rollsOutUntilRolloutStatusWouldSucceedAndSurvivesARestart() async throws {
        let api = FakeKubeAPI()
        var deployment = F.deployment(replicas: 2)
        deployment["status"] = nil
        await api.seed(BuiltinResources.deployments, deployment)
        let context = R.context(api, component: "deployment-controller")
        let reconciler = DeploymentReconciler(informers: context.informers)
        await R.startInformers(context, Self.types)
        defer { context.informers.stop() }

        var complete = false
        for _ in 0..<20 where !complete {
            _ = try await reconciler.reconcile(key, context: context)
            await Self.settle(api)
            #expect(await Self.caughtUp(api, context))
            let stored = try #require(await api.object(BuiltinResources.deployments, namespace: "default", name: "web"))
            let status = DeploymentStatus(of: stored)
            complete = status.observedGeneration >= ObjectMetadata.generation(stored) && status.updatedReplicas == 2
                && status.replicas == 2 && status.availableReplicas == 2
                && status.conditions.condition("Progressing")?.reason == "NewReplicaSetAvailable"
        }
        #expect(complete)
        let name = "web-" + PodTemplateHash.compute(F.template(), collisionCount: nil)
        #expect(await api.objects(BuiltinResources.replicaSets).map(ObjectMetadata.name) == [name])
        let stored = await api.object(BuiltinResources.deployments, namespace: "default", name: "web")
        #expect(stored.map(ObjectMetadata.annotations)?["deployment.kubernetes.io/revision"] == "1")
        #expect(await R.eventually { await R.events(api).contains("ScalingReplicaSet: Scaled up replica set \(name) to 2") })
        let creates = await R.writes(api, "create", BuiltinResources.replicaSets).count

        // kill -9 and start again: the new caches list the ReplicaSet, so none is created twice.
        let restarted = R.context(api, component: "deployment-controller")
        let again = DeploymentReconciler(informers: restarted.informers)
        await R.startInformers(restarted, Self.types)
        defer { restarted.informers.stop() }
        _ = try await again.reconcile(key, context: restarted)
        #expect(await R.writes(api, "create", BuiltinResources.replicaSets).count == creates)
    }

    @Test func adoptsAnOrphanReplicaSetWithTheTemplate() async throws {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.deployments, F.deployment(replicas: 1))
        let hash = PodTemplateHash.compute(F.template(), collisionCount: nil)
        var template = F.template()
        template[at: ["metadata", "labels", "pod-template-hash"]] = .string(hash)
        let orphan: JSONValue = .object([
            "apiVersion": .string("apps/v1"), "kind": .string("ReplicaSet"),
            "metadata": .object(["name": .string("web-\(hash)"), "namespace": .string("default"),
                                 "labels": .object(["app": .string("web"), "pod-template-hash": .string(hash)])]),
            "spec": .object(["replicas": .integer(1), "template": template,
                             "selector": .object(["matchLabels": .object(["app": .string("web"), "pod-template-hash": .string(hash)])])]),
        ])
        await api.seed(BuiltinResources.replicaSets, orphan)
        let context = R.context(api, component: "deployment-controller")
        let reconciler = DeploymentReconciler(informers: context.informers)
        await R.startInformers(context, Self.types)
        defer { context.informers.stop() }

        _ = try await reconciler.reconcile(key, context: context)
        let adopted = await api.object(BuiltinResources.replicaSets, namespace: "default", name: "web-\(hash)")
        #expect(adopted.flatMap { OwnerReferences.controllerRef(of: $0) }?.uid == F.uid)
        #expect(await R.writes(api, "create", BuiltinResources.replicaSets).isEmpty)
    }

    @Test func replicaSetEventsWakeTheirDeployment() async {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.deployments, F.deployment())
        let context = R.context(api)
        await R.startInformers(context, Self.types)
        defer { context.informers.stop() }
        let deployments = context.informer(BuiltinResources.deployments)
        let owner = OwnerReferences.controller(for: F.deployment(), type: BuiltinResources.deployments)
        var rs = R.replicaSet(owner: owner)
        #expect(DeploymentReconciler.deploymentKeys(of: rs, deployments: deployments) == [key])
        rs[at: ["metadata", "ownerReferences"]] = nil
        rs[at: ["metadata", "labels"]] = .object(["app": .string("web")])
        #expect(DeploymentReconciler.deploymentKeys(of: rs, deployments: deployments) == [key])
        rs[at: ["metadata", "labels"]] = .object(["app": .string("db")])
        #expect(DeploymentReconciler.deploymentKeys(of: rs, deployments: deployments).isEmpty)
    }
}
