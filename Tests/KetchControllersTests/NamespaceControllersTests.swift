import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing
@testable import KetchControllers

/// serviceaccount, root-ca-certificate-publisher and namespace controllers.
@Suite struct NamespaceControllersTests {
    @Test func everyActiveNamespaceGetsDefaultAccountAndRootCA() async throws {
        let api = FakeKubeAPI()
        _ = await api.seed(BuiltinResources.namespaces, Fixture.namespace("team"))
        let context = Fixture.context(api) { $0.rootCA = "PEM" }
        let key = ObjectKey(namespace: nil, name: "team")
        await context.informer(BuiltinResources.namespaces).waitForSync()
        await context.informer(BuiltinResources.serviceAccounts).waitForSync()
        await context.informer(BuiltinResources.configMaps).waitForSync()
        #expect(try await ServiceAccountReconciler().reconcile(key, context: context) == .done)
        #expect(try await RootCAPublisherReconciler().reconcile(key, context: context) == .done)
        #expect(await api.object(BuiltinResources.serviceAccounts, namespace: "team", name: "default") != nil)
        let map = try #require(await api.object(BuiltinResources.configMaps, namespace: "team", name: "kube-root-ca.crt"))
        #expect(map["data"]?["ca.crt"] == .string("PEM"))
        #expect(map["metadata"]?["annotations"]?["kubernetes.io/description"]?.string?.hasPrefix("Contains a CA bundle") == true)

        // Converged: a second pass writes nothing.
        try await eventually { context.informer(BuiltinResources.configMaps).count == 1 && context.informer(BuiltinResources.serviceAccounts).count == 1 }
        await api.clearActions()
        _ = try await ServiceAccountReconciler().reconcile(key, context: context)
        _ = try await RootCAPublisherReconciler().reconcile(key, context: context)
        #expect(await api.writes.isEmpty)
    }

    @Test func aTerminatingNamespaceIsEmptiedThenFinalized() async throws {
        let api = FakeKubeAPI()
        var ns = Fixture.namespace("gone")
        ns["metadata"]?["deletionTimestamp"] = .string("2026-01-01T00:00:00Z")
        ns["status"] = .object(["phase": .string("Terminating")])
        _ = await api.seed(BuiltinResources.namespaces, ns)
        _ = await api.seed(BuiltinResources.configMaps, .object([
            "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
            "metadata": .object(["name": .string("c"), "namespace": .string("gone")])]))
        var held = Fixture.pod("p", namespace: "gone")
        held["metadata"]?["finalizers"] = .array([.string("example.com/hold")])
        _ = await api.seed(BuiltinResources.pods, held)
        let context = Fixture.context(api)
        await context.informer(BuiltinResources.namespaces).waitForSync()
        await context.informer(BuiltinResources.customResourceDefinitions).waitForSync()
        let key = ObjectKey(namespace: nil, name: "gone")

        // The pod's finalizer holds the namespace: it stays, and says why.
        #expect(try await NamespaceReconciler().reconcile(key, context: context) == .requeue(after: .seconds(1)))
        #expect(await api.object(BuiltinResources.configMaps, namespace: "gone", name: "c") == nil)
        let waiting = try #require(await api.object(BuiltinResources.namespaces, namespace: nil, name: "gone"))
        let conditions = waiting["status"]?["conditions"]?.array ?? []
        #expect(conditions.contains { $0["type"] == .string("NamespaceFinalizersRemaining") && $0["status"] == .string("True") })
        #expect((waiting["spec"]?["finalizers"]?.array ?? []).contains(.string("kubernetes")))

        var released = try #require(await api.object(BuiltinResources.pods, namespace: "gone", name: "p"))
        released["metadata"]?["finalizers"] = .array([])
        _ = try await api.update(BuiltinResources.pods, namespace: "gone", released)
        #expect(try await NamespaceReconciler().reconcile(key, context: context) == .done)
        let finalized = await api.object(BuiltinResources.namespaces, namespace: nil, name: "gone")
        #expect((finalized?["spec"]?["finalizers"]?.array ?? []).isEmpty)
    }
}
