import Foundation
import KubeCore
import Logging
import Testing
@testable import KetchAPIServer

/// `kubectl delete pod kube-apiserver-<node> -n kube-system`: the API deletes a pod on a node
/// gracefully, and the kubelet, seeing its mirror pod Terminating, deletes it at once and makes
/// it anew from the manifest (a new uid), so the delete completes and the pod is back.
@Suite struct MirrorPodDeletionTests {
    @Test func aDeletedMirrorPodIsReplaced() async throws {
        let directory = try KubeletFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try KubeletFixtures.manifest().write(to: directory.appendingPathComponent("etcd.yaml"), atomically: true, encoding: .utf8)
        let f = try await HandlerFixture(namespaces: ["kube-system"])
        let kubelet = KubeletEmulator(store: f.handler.store, nodeName: "vm", manifestDirectory: directory,
                                      nodeAddress: "10.0.0.5", logDirectory: nil, logger: Logger(label: "test"))
        await kubelet.setFacts(KubeletFixtures.facts)
        #expect(try await kubelet.reconcileOnce().created == ["etcd-vm"])
        let original = try #require(try await f.get(BuiltinResources.pods, "etcd-vm", namespace: "kube-system"))

        let deleted = try await f.delete(BuiltinResources.pods, "etcd-vm", namespace: "kube-system")
        #expect(deleted.code == 200 && deleted.body["metadata"]?["deletionTimestamp"]?.string != nil)
        let terminating = try #require(try await f.get(BuiltinResources.pods, "etcd-vm", namespace: "kube-system"))
        #expect(DeletionRules.isDeleting(terminating))

        let pass = try await kubelet.reconcileOnce()
        #expect(pass.recreated == ["etcd-vm"] && pass.created.isEmpty && pass.updated.isEmpty && pass.deleted.isEmpty)
        let replaced = try #require(try await f.get(BuiltinResources.pods, "etcd-vm", namespace: "kube-system"))
        #expect(!DeletionRules.isDeleting(replaced))
        #expect(replaced["metadata"]?["uid"] != original["metadata"]?["uid"])
        #expect(replaced["status"]?["phase"] == .string("Running"))
        #expect(MirrorPod.configHash(of: replaced) == MirrorPod.configHash(of: original))

        // Settled: the next pass writes nothing.
        #expect(try await kubelet.reconcileOnce() == KubeletEmulator.ReconcileResult())
    }
}
