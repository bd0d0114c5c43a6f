import Foundation
import KubeCore
import Logging
import Testing
@testable import KetchAPIServer

@Suite struct KubeletEmulatorTests {
    @Test func nodeObjectShape() throws {
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let node = NodeObject.build(nodeName: "vm", address: "10.0.0.5", facts: KubeletFixtures.facts, now: now)
        let labels = try #require(node["metadata"]?["labels"]?.object)
        #expect(labels["kubernetes.io/arch"] == .string("arm64"))
        #expect(labels["beta.kubernetes.io/arch"] == .string("arm64"))
        #expect(labels["kubernetes.io/hostname"] == .string("vm"))
        #expect(labels["kubernetes.io/os"] == .string("linux"))
        #expect(labels["node-role.kubernetes.io/control-plane"] == .string(""))
        #expect(labels["node.kubernetes.io/exclude-from-external-load-balancers"] == .string(""))
        let annotations = try #require(node["metadata"]?["annotations"]?.object)
        #expect(annotations["node.alpha.kubernetes.io/ttl"] == .string("0"))
        #expect(annotations["volumes.kubernetes.io/controller-managed-attach-detach"] == .string("true"))
        #expect(annotations["kubeadm.alpha.kubernetes.io/cri-socket"] != nil)
        #expect(node["spec"]?["taints"] == .array([.object([
            "key": .string("node-role.kubernetes.io/control-plane"), "effect": .string("NoSchedule")])]))
        let status = try #require(node["status"])
        let ready = status["conditions"]?.array?.first { $0["type"] == .string("Ready") }
        #expect(ready?["status"] == .string("True"))
        #expect(ready?["reason"] == .string("KubeletReady"))
        #expect(ready?["message"] == .string("kubelet is posting ready status"))
        for pressure in ["MemoryPressure", "DiskPressure", "PIDPressure"] {
            #expect(status["conditions"]?.array?.first { $0["type"] == .string(pressure) }?["status"] == .string("False"))
        }
        #expect(status["addresses"] == .array([
            .object(["type": .string("InternalIP"), "address": .string("10.0.0.5")]),
            .object(["type": .string("Hostname"), "address": .string("vm")]),
        ]))
        #expect(status["capacity"]?["cpu"] == .string("4"))
        #expect(status["capacity"]?["memory"] == .string("8388608Ki"))
        #expect(status["allocatable"]?["memory"] == .string("8286208Ki"))
        #expect(status["capacity"]?["pods"] == .string("110"))
        #expect(status["nodeInfo"]?["kubeletVersion"] == .string("v1.33.4"))
        #expect(status["nodeInfo"]?["osImage"] == .string("Ubuntu 24.04 LTS"))
        #expect(status["nodeInfo"]?["architecture"] == .string("arm64"))
        #expect(status["daemonEndpoints"]?["kubeletEndpoint"]?["Port"] == .integer(10250))

        // Re-registration keeps identity, foreign labels and transition times.
        var stored = node
        stored["metadata"]?["labels"]?["team"] = .string("a")
        let again = NodeObject.build(nodeName: "vm", address: "10.0.0.5", facts: KubeletFixtures.facts,
                                     now: now.addingTimeInterval(90), existing: stored)
        #expect(again["metadata"]?["uid"] == node["metadata"]?["uid"])
        #expect(again["metadata"]?["labels"]?["team"] == .string("a"))
        let readyAgain = again["status"]?["conditions"]?.array?.first { $0["type"] == .string("Ready") }
        #expect(readyAgain?["lastTransitionTime"] == .string("2025-06-15T15:06:40Z"))
        #expect(readyAgain?["lastHeartbeatTime"] == .string("2025-06-15T15:08:10Z"))
    }

    @Test func reconcileCreatesUpdatesAndDeletes() async throws {
        let directory = try KubeletFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let etcd = directory.appendingPathComponent("etcd.yaml")
        try KubeletFixtures.manifest().write(to: etcd, atomically: true, encoding: .utf8)
        try KubeletFixtures.manifest(name: "kube-scheduler", image: "registry.k8s.io/kube-scheduler:v1.33.4")
            .write(to: directory.appendingPathComponent("kube-scheduler.yaml"), atomically: true, encoding: .utf8)

        let store = InMemoryObjectStore()
        // An ordinary pod and another node's mirror pod must survive every pass.
        _ = try await store.create(BuiltinResources.pods, .object(["metadata": .object([
            "name": .string("user-pod"), "namespace": .string("kube-system")])]))
        var foreign = MirrorPod.build(from: try KubeletFixtures.file(), nodeName: "other", nodeUID: "x", nodeAddress: "10.0.0.9")
        foreign["metadata"]?["resourceVersion"] = nil
        _ = try await store.create(BuiltinResources.pods, foreign)

        let kubelet = KubeletEmulator(store: store, nodeName: "vm", manifestDirectory: directory, nodeAddress: "10.0.0.5",
                                      logDirectory: nil, logger: Logger(label: "test"))
        await kubelet.setFacts(KubeletFixtures.facts)

        let first = try await kubelet.reconcileOnce()
        #expect(first.created.sorted() == ["etcd-vm", "kube-scheduler-vm"])
        let node = try #require(try await store.get(BuiltinResources.nodes, namespace: nil, name: "vm"))
        let pod = try #require(try await store.get(BuiltinResources.pods, namespace: "kube-system", name: "etcd-vm"))
        #expect(pod["metadata"]?["ownerReferences"]?.array?.first?["uid"] == node["metadata"]?["uid"])
        let uid = pod["metadata"]?["uid"]

        // Nothing changed: nothing written.
        #expect(try await kubelet.reconcileOnce() == KubeletEmulator.ReconcileResult())

        // An edited manifest updates the pod in place.
        try KubeletFixtures.manifest(image: "registry.k8s.io/etcd:3.6.0-0").write(to: etcd, atomically: true, encoding: .utf8)
        let second = try await kubelet.reconcileOnce()
        #expect(second.updated == ["etcd-vm"] && second.created.isEmpty && second.deleted.isEmpty)
        let updated = try #require(try await store.get(BuiltinResources.pods, namespace: "kube-system", name: "etcd-vm"))
        #expect(updated["metadata"]?["uid"] == uid)
        #expect(updated["spec"]?["containers"]?.array?.first?["image"] == .string("registry.k8s.io/etcd:3.6.0-0"))

        // A mirror pod deleted by hand comes back.
        _ = try await store.delete(BuiltinResources.pods, namespace: "kube-system", name: "kube-scheduler-vm")
        #expect(try await kubelet.reconcileOnce().created == ["kube-scheduler-vm"])

        // A removed manifest removes its pod, and only that one.
        try FileManager.default.removeItem(at: etcd)
        let third = try await kubelet.reconcileOnce()
        #expect(third.deleted == ["etcd-vm"])
        let names = try await store.list(BuiltinResources.pods, namespace: "kube-system").items
            .compactMap { $0["metadata"]?["name"]?.string }
        #expect(names.sorted() == ["etcd-other", "kube-scheduler-vm", "user-pod"])
    }

    @Test func leaseAndHeartbeatSurviveOutages() async throws {
        let directory = try KubeletFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = InMemoryObjectStore()
        let kubelet = KubeletEmulator(store: store, nodeName: "vm", manifestDirectory: directory, nodeAddress: "10.0.0.5",
                                      logDirectory: nil, logger: Logger(label: "test"))
        await kubelet.setFacts(KubeletFixtures.facts)

        await store.setFailure(KubeStatus.timeout("etcd unavailable"))
        await #expect(throws: KubeStatus.self) { try await kubelet.reconcileOnce() }
        await store.setFailure(nil)

        let uid = try await kubelet.registerNode()
        try await kubelet.renewLease()
        let lease = try #require(try await store.get(BuiltinResources.leases, namespace: "kube-node-lease", name: "vm"))
        #expect(lease["spec"]?["holderIdentity"] == .string("vm"))
        #expect(lease["spec"]?["leaseDurationSeconds"] == .integer(40))
        #expect(lease["spec"]?["renewTime"]?.string?.count == "2025-06-15T15:06:40.000000Z".count)
        #expect(lease["metadata"]?["ownerReferences"]?.array?.first?["uid"] == .string(uid))
        try await kubelet.renewLease() // update path
        try await kubelet.postHeartbeat()
        #expect(try await kubelet.registerNode() == uid) // re-registration keeps the uid
    }

    @Test func statePaths() throws {
        let directory = try KubeletFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let conf = directory.appendingPathComponent("kubelet.conf")
        try """
        apiVersion: v1
        clusters:
        - cluster:
            server: https://127.0.0.1:6443
          name: kubernetes
        contexts:
        - context:
            cluster: kubernetes
            user: system:node:vm
          name: system:node:vm@kubernetes
        current-context: system:node:vm@kubernetes
        kind: Config
        users:
        - name: system:node:vm
          user: {}
        """.write(to: conf, atomically: true, encoding: .utf8)
        #expect(KubeletEmulator.nodeName(stateKubeconfig: conf) == "vm")
        #expect(KubeletEmulator.nodeName(stateKubeconfig: directory.appendingPathComponent("missing")) == nil)

        let cert = URL(fileURLWithPath: "/home/u/.ketch/kubernetes/pki/apiserver.crt")
        #expect(KubeletEmulator.manifestDirectory(certificateFile: cert)?.path == "/home/u/.ketch/kubernetes/manifests")
        #expect(KubeletEmulator.manifestDirectory(certificateFile: URL(fileURLWithPath: "/home/u/.ketch/kubernetes/pki/etcd/ca.crt"))?.path
                == "/home/u/.ketch/kubernetes/manifests")
        #expect(KubeletEmulator.defaultLogDirectory(manifestDirectory: URL(fileURLWithPath: "/home/u/.ketch/kubernetes/manifests")).path
                == "/home/u/.ketch/logs")
        #expect(KubeletEmulator.manifestDirectory(certificateFile: URL(fileURLWithPath: "/tmp/x.crt")) == nil)
    }
}
