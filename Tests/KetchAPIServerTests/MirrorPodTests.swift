import Foundation
import KetchBootstrap
import KubeCore
import Testing
@testable import KetchAPIServer

/// Fixtures shared by the kubelet-emulation tests.
enum KubeletFixtures {
    static func manifest(name: String = "etcd", image: String = "registry.k8s.io/etcd:3.5.21-0",
                         dataDir: String = "/tmp/state/etcd") -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          annotations:
            kubeadm.kubernetes.io/etcd.advertise-client-urls: https://127.0.0.1:2379
          labels:
            component: \(name)
            tier: control-plane
          name: \(name)
          namespace: kube-system
        spec:
          containers:
          - command:
            - \(name)
            - --advertise-client-urls=https://127.0.0.1:2379
            - --data-dir=\(dataDir)
            image: \(image)
            imagePullPolicy: IfNotPresent
            livenessProbe:
              failureThreshold: 8
              httpGet:
                host: 127.0.0.1
                path: /livez
                port: 2381
                scheme: HTTP
              initialDelaySeconds: 10
            name: \(name)
            resources:
              requests:
                cpu: 100m
                memory: 100Mi
          hostNetwork: true
          priority: 2000001000
          priorityClassName: system-node-critical
          securityContext:
            seccompProfile:
              type: RuntimeDefault
        status: {}
        """
    }

    static func file(_ text: String = manifest(), name: String = "etcd.yaml") throws -> StaticPodFile {
        try StaticPodFile(path: URL(fileURLWithPath: "/tmp/\(name)"), data: Data(text.utf8))
    }

    static let facts = NodeObject.Facts(
        host: NodeFacts(architecture: "arm64", kernelVersion: "6.8.0-test", osImage: "Ubuntu 24.04 LTS",
                        machineID: "0123456789abcdef0123456789abcdef", systemUUID: "uuid-1", bootID: "boot-1",
                        cpuCount: 4, memoryBytes: 8 * 1024 * 1024 * 1024, ephemeralStorageBytes: 100 * 1024 * 1024 * 1024),
        kubeletVersion: "v1.33.4")

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ketch-kubelet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

@Suite struct MirrorPodTests {
    let now = Date(timeIntervalSince1970: 1_750_000_000.25)

    @Test func mirrorPodFromManifest() throws {
        let file = try KubeletFixtures.file()
        #expect(file.hash.count == 32)
        let pod = MirrorPod.build(from: file, nodeName: "vm", nodeUID: "node-uid", nodeAddress: "10.0.0.5", now: now)
        let meta = try #require(pod["metadata"])
        #expect(meta["name"] == .string("etcd-vm"))
        #expect(meta["namespace"] == .string("kube-system"))
        #expect(meta["labels"]?["component"] == .string("etcd"))
        #expect(meta["labels"]?["tier"] == .string("control-plane"))
        let annotations = try #require(meta["annotations"]?.object)
        #expect(annotations["kubernetes.io/config.hash"] == .string(file.hash))
        #expect(annotations["kubernetes.io/config.mirror"] == .string(file.hash))
        #expect(annotations["kubernetes.io/config.source"] == .string("file"))
        #expect(annotations["kubernetes.io/config.seen"] == .string("2025-06-15T15:06:40.25Z"))
        #expect(annotations["kubeadm.kubernetes.io/etcd.advertise-client-urls"] == .string("https://127.0.0.1:2379"))
        #expect(meta["creationTimestamp"] == .string("2025-06-15T15:06:40Z"))
        let uid = try #require(meta["uid"]?.string)
        #expect(uid == uid.lowercased() && uid.count == 36)
        #expect(meta["ownerReferences"] == .array([.object([
            "apiVersion": .string("v1"), "kind": .string("Node"), "name": .string("vm"),
            "uid": .string("node-uid"), "controller": .bool(true)])]))

        let spec = try #require(pod["spec"])
        #expect(spec["nodeName"] == .string("vm"))
        #expect(spec["hostNetwork"] == .bool(true))
        #expect(spec["restartPolicy"] == .string("Always"))
        #expect(spec["dnsPolicy"] == .string("ClusterFirst"))
        #expect(spec["schedulerName"] == .string("default-scheduler"))
        #expect(spec["terminationGracePeriodSeconds"] == .integer(30))
        #expect(spec["enableServiceLinks"] == .bool(true))
        #expect(spec["preemptionPolicy"] == .string("PreemptLowerPriority"))
        #expect(spec["priority"] == .integer(2_000_001_000))
        #expect(spec["tolerations"] == .array([.object(["effect": .string("NoExecute"), "operator": .string("Exists")])]))
        let container = try #require(spec["containers"]?.array?.first)
        #expect(container["terminationMessagePath"] == .string("/dev/termination-log"))
        #expect(container["terminationMessagePolicy"] == .string("File"))
        #expect(container["imagePullPolicy"] == .string("IfNotPresent"))
        #expect(container["livenessProbe"]?["timeoutSeconds"] == .integer(1))
        #expect(container["livenessProbe"]?["failureThreshold"] == .integer(8))

        let status = try #require(pod["status"])
        #expect(status["phase"] == .string("Running"))
        #expect(status["qosClass"] == .string("Burstable"))
        #expect(status["hostIP"] == .string("10.0.0.5"))
        #expect(status["podIP"] == .string("10.0.0.5"))
        #expect(status["podIPs"] == .array([.object(["ip": .string("10.0.0.5")])]))
        #expect(status["startTime"] == .string("2025-06-15T15:06:40Z"))
        let types = status["conditions"]?.array?.compactMap { $0["type"]?.string }
        #expect(types == ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"])
        #expect(status["conditions"]?.array?.allSatisfy { $0["status"] == .string("True") } == true)
        let cs = try #require(status["containerStatuses"]?.array?.first)
        #expect(cs["name"] == .string("etcd"))
        #expect(cs["ready"] == .bool(true))
        #expect(cs["started"] == .bool(true))
        #expect(cs["restartCount"] == .integer(0))
        #expect(cs["image"] == .string("registry.k8s.io/etcd:3.5.21-0"))
        #expect(cs["imageID"]?.string?.hasPrefix("registry.k8s.io/etcd@sha256:") == true)
        let containerID = try #require(cs["containerID"]?.string)
        #expect(containerID.hasPrefix("containerd://") && containerID.count == "containerd://".count + 64)
        #expect(cs["state"]?["running"]?["startedAt"] == .string("2025-06-15T15:06:40Z"))
    }

    @Test func updateKeepsIdentity() throws {
        let first = MirrorPod.build(from: try KubeletFixtures.file(), nodeName: "vm", nodeUID: "n", nodeAddress: "10.0.0.5", now: now)
        var stored = first
        stored["metadata"]?["resourceVersion"] = .string("42")
        let later = now.addingTimeInterval(60)
        // Same manifest: nothing moves.
        let same = MirrorPod.build(from: try KubeletFixtures.file(), nodeName: "vm", nodeUID: "n", nodeAddress: "10.0.0.5",
                                   now: later, existing: stored)
        #expect(same["metadata"]?["uid"] == first["metadata"]?["uid"])
        #expect(same["metadata"]?["resourceVersion"] == .string("42"))
        #expect(same["status"] == first["status"])
        // Changed manifest: same uid and creation time, new hash and start time.
        let changed = try KubeletFixtures.file(KubeletFixtures.manifest(image: "registry.k8s.io/etcd:3.6.0-0"))
        let updated = MirrorPod.build(from: changed, nodeName: "vm", nodeUID: "n", nodeAddress: "10.0.0.5",
                                      now: later, existing: stored)
        #expect(updated["metadata"]?["uid"] == first["metadata"]?["uid"])
        #expect(updated["metadata"]?["creationTimestamp"] == first["metadata"]?["creationTimestamp"])
        #expect(MirrorPod.configHash(of: updated) == changed.hash)
        #expect(changed.hash != first["metadata"]?["annotations"]?["kubernetes.io/config.hash"]?.string)
        #expect(updated["status"]?["startTime"] == .string("2025-06-15T15:07:40Z"))
        #expect(updated["status"]?["containerStatuses"]?.array?.first?["containerID"]
                != first["status"]?["containerStatuses"]?.array?.first?["containerID"])
    }

    @Test func qosAndPullPolicy() {
        func container(_ requests: [String: String]?, _ limits: [String: String]?) -> JSONValue {
            var resources: [String: JSONValue] = [:]
            if let requests { resources["requests"] = .object(requests.mapValues(JSONValue.string)) }
            if let limits { resources["limits"] = .object(limits.mapValues(JSONValue.string)) }
            return .object(["resources": .object(resources)])
        }
        #expect(MirrorPod.qosClass(containers: [container(nil, nil)]) == "BestEffort")
        #expect(MirrorPod.qosClass(containers: [container(["cpu": "250m"], nil)]) == "Burstable")
        #expect(MirrorPod.qosClass(containers: [container(nil, ["cpu": "1", "memory": "1Gi"])]) == "Guaranteed")
        #expect(MirrorPod.qosClass(containers: [container(["cpu": "1"], ["cpu": "2", "memory": "1Gi"])]) == "Burstable")
        #expect(MirrorPod.pullPolicy(image: "nginx") == "Always")
        #expect(MirrorPod.pullPolicy(image: "nginx:latest") == "Always")
        #expect(MirrorPod.pullPolicy(image: "localhost:5000/nginx") == "Always")
        #expect(MirrorPod.pullPolicy(image: "registry.k8s.io/etcd:3.5.21-0") == "IfNotPresent")
    }

    @Test func timestamps() {
        let date = Date(timeIntervalSince1970: 1_750_000_000.123456)
        #expect(KubeTimestamp.rfc3339(date) == "2025-06-15T15:06:40Z")
        #expect(KubeTimestamp.micro(date) == "2025-06-15T15:06:40.123456Z")
        #expect(KubeTimestamp.rfc3339Nano(Date(timeIntervalSince1970: 1_750_000_000)) == "2025-06-15T15:06:40Z")
        let parsed = KubeTimestamp.parse("2025-06-15T17:06:40.5+02:00")
        #expect(parsed.map { abs($0.timeIntervalSince1970 - 1_750_000_000.5) < 0.001 } == true)
        #expect(KubeTimestamp.parse("2025-06-15T15:06:40Z")?.timeIntervalSince1970 == 1_750_000_000)
        #expect(KubeTimestamp.parse("yesterday") == nil)
    }

    @Test func yamlScalarsKeepTheirTypes() throws {
        let value = try #require(try YAMLJSON.parse("a: \"0\"\nb: 0\nc: true\nd: 'true'\ne: 1.5\nf: null\ng: [x]\n"))
        #expect(value == .object(["a": .string("0"), "b": .integer(0), "c": .bool(true), "d": .string("true"),
                                  "e": .number(1.5), "f": .null, "g": .array([.string("x")])]))
    }
}
