import Foundation
import Logging
import Testing
@testable import KetchControllers
import KubeClient
import KubeCore
import KubeTestSupport

@Suite("Volume binder reconciler")
struct VolumeBinderReconcilerTests {
    typealias F = VolumeFixtures
    typealias R = ReplicaSetFixtures
    let key = ObjectKey(namespace: "default", name: "data")
    let types = [BuiltinResources.persistentVolumeClaims, BuiltinResources.persistentVolumes,
                 BuiltinResources.storageClasses, BuiltinResources.pods]

    @Test func provisionsBindsAndDeletesTheVolumeWithItsClaim() async throws {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.persistentVolumeClaims, F.claim(className: "standard"))
        let context = R.context(api, component: VolumeWellKnown.eventSource)
        let provisioner = EventRecorder(api: api, component: VolumeWellKnown.simulatedProvisioner, host: "test", logger: Logger(label: "test"))
        let reconciler = PersistentVolumeBinderReconciler(informers: context.informers, provisionerEvents: provisioner)
        await R.startInformers(context, types)
        defer { context.informers.stop() }

        #expect(try await reconciler.reconcile(key, context: context) == .done)
        let volumes = await api.objects(BuiltinResources.persistentVolumes)
        #expect(volumes.count == 1)
        let volume = try #require(volumes.first)
        #expect(volume[path: ["status", "phase"]]?.string == "Bound")
        let claim = try #require(await api.object(BuiltinResources.persistentVolumeClaims, namespace: "default", name: "data"))
        #expect(claim[path: ["spec", "volumeName"]]?.string == ObjectMetadata.name(volume))
        #expect(claim[path: ["status", "phase"]]?.string == "Bound")
        #expect(claim[path: ["status", "capacity", "storage"]]?.string == "1Gi")
        #expect(ObjectMetadata.annotations(claim) == [
            "pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes",
            "volume.kubernetes.io/storage-provisioner": "ketch.dev/simulated",
            "volume.beta.kubernetes.io/storage-provisioner": "ketch.dev/simulated",
        ])
        #expect(await R.eventually { await R.events(api).count == 3 })
        #expect(await R.events(api).map { $0.components(separatedBy: ":")[0] } == ["ExternalProvisioning", "Provisioning", "ProvisioningSucceeded"])

        // Nothing more to do once bound.
        #expect(await R.eventually { context.informer(BuiltinResources.persistentVolumeClaims).get(key)?[path: ["status", "phase"]]?.string == "Bound" })
        await api.clearActions()
        _ = try await reconciler.reconcile(key, context: context)
        #expect(await api.writes.filter { $0.resource != "events" }.isEmpty)

        _ = try await api.delete(BuiltinResources.persistentVolumeClaims, namespace: "default", name: "data", options: KubeDeleteOptions())
        #expect(await R.eventually { context.informer(BuiltinResources.persistentVolumeClaims).get(key) == nil })
        _ = try await reconciler.reconcile(key, context: context)
        #expect(await api.objects(BuiltinResources.persistentVolumes).isEmpty)
    }

    @Test func bindsAPreMadeVolumeAndMarksItsOwnPhase() async throws {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.persistentVolumeClaims, F.claim(className: ""))
        await api.seed(BuiltinResources.persistentVolumes, F.volume("pv1", phase: "Pending"))
        let context = R.context(api, component: VolumeWellKnown.eventSource)
        let provisioner = EventRecorder(api: api, component: VolumeWellKnown.simulatedProvisioner, host: "test", logger: Logger(label: "test"))
        let reconciler = PersistentVolumeBinderReconciler(informers: context.informers, provisionerEvents: provisioner)
        await R.startInformers(context, types)
        defer { context.informers.stop() }

        _ = try await reconciler.reconcile(key, context: context)
        let volume = await api.object(BuiltinResources.persistentVolumes, namespace: nil, name: "pv1")
        #expect(volume?[path: ["spec", "claimRef", "uid"]]?.string == "uid-data")
        #expect(volume?[path: ["status", "phase"]]?.string == "Bound")
        #expect(volume.map { ObjectMetadata.annotations($0)[VolumeWellKnown.boundByController] } == "yes")
        let claim = await api.object(BuiltinResources.persistentVolumeClaims, namespace: "default", name: "data")
        #expect(claim?[path: ["status", "capacity", "storage"]]?.string == "5Gi")

        await api.seed(BuiltinResources.persistentVolumes, F.volume("pv2", phase: "Pending"))
        #expect(await R.eventually { context.informer(BuiltinResources.persistentVolumes).list().count == 2 })
        _ = try await reconciler.reconcile(ObjectKey(namespace: nil, name: "pv2"), context: context)
        #expect(await api.object(BuiltinResources.persistentVolumes, namespace: nil, name: "pv2")?[path: ["status", "phase"]]?.string == "Available")
    }
}
