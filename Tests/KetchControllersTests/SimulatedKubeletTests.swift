import Foundation
import Testing
@testable import KetchControllers
import KubeClient
import KubeCore
import KubeTestSupport
import Logging

@Suite("Simulated kubelet")
struct SimulatedKubeletTests {
    typealias R = ReplicaSetFixtures
    static let machine = WorkerNode.Machine(kubeletVersion: "v1.33.4", architecture: "amd64", kernelVersion: "6.8.0",
                                            osImage: "Ubuntu 24.04 LTS", containerRuntimeVersion: "ketch://0.1.0",
                                            criSocket: "unix:///var/run/containerd/containerd.sock")

    /// A simulated worker, with `podCIDR` when given.
    static func worker(_ name: String, hostIP: String = "172.18.0.2", podCIDR: String? = "10.244.1.0/24") -> JSONValue {
        var node = WorkerNode.build(name: name, capacity: .default, hostIP: hostIP, machine: machine)
        if let podCIDR { node["spec"] = .object(["podCIDR": .string(podCIDR), "podCIDRs": .array([.string(podCIDR)])]) }
        return node
    }

    /// A pod bound to `node`, as the apiserver stores it after binding.
    static func pod(_ name: String, on node: String, jobOwned: Bool = false, annotations: [String: String] = [:],
                    status: [String: JSONValue] = ["phase": .string("Pending")]) -> JSONValue {
        var metadata: [String: JSONValue] = ["name": .string(name), "namespace": .string("default"),
                                             "uid": .string("uid-\(name)")]
        if !annotations.isEmpty { metadata["annotations"] = .object(annotations.mapValues(JSONValue.string)) }
        if jobOwned {
            metadata["ownerReferences"] = .array([.object(["apiVersion": .string("batch/v1"), "kind": .string("Job"),
                                                           "name": .string("j"), "uid": .string("uid-j"), "controller": .bool(true)])])
        }
        var spec: [String: JSONValue] = ["nodeName": .string(node),
                                         "containers": .array([.object(["name": .string("app"), "image": .string("nginx")])])]
        if jobOwned { spec["restartPolicy"] = .string("Never") }
        return .object(["apiVersion": .string("v1"), "kind": .string("Pod"), "metadata": .object(metadata),
                        "spec": .object(spec), "status": .object(status)])
    }

    /// A fake apiserver holding `nodes` and `pods`, with a kubelet for control-plane node `cp`
    /// running over it until `stop`.
    private func cluster(nodes: [JSONValue], pods: [JSONValue] = [], leaseInterval: Duration = .seconds(10)) async
        -> (api: FakeKubeAPI, stop: @Sendable () -> Void) {
        let api = FakeKubeAPI()
        for node in nodes { await api.seed(BuiltinResources.nodes, node) }
        for pod in pods { await api.seed(BuiltinResources.pods, pod) }
        var options = ControllerOptions()
        options.component = "kubelet"
        options.host = "cp"
        let logger = Logger(label: "test")
        let context = ControllerContext(api: api, informers: InformerFactory(api: api, logger: logger),
                                        events: EventRecorder(api: api, component: "kubelet", host: "cp", logger: logger),
                                        logger: logger, options: options)
        var kubelet = SimulatedKubelet(context: context, controlPlaneNode: "cp")
        kubelet.leaseInterval = leaseInterval
        let task = Task { [kubelet] in await kubelet.run() }
        return (api, { task.cancel() })
    }

    private func pod(_ api: FakeKubeAPI, _ name: String) async -> JSONValue? {
        await api.object(BuiltinResources.pods, namespace: "default", name: name)
    }

    private func phase(_ api: FakeKubeAPI, _ name: String) async -> String? {
        await pod(api, name)?["status"]?["phase"]?.string
    }

    @Test func aPodOnAWorkerRunsWithAnAddressFromTheNodesRange() async throws {
        let (api, stop) = await cluster(nodes: [Self.worker("w1")], pods: [Self.pod("web", on: "w1")])
        defer { stop() }
        #expect(await R.eventually { await phase(api, "web") == "Running" })
        let status = await pod(api, "web")?["status"]
        #expect(status?["podIP"]?.string == "10.244.1.2")
        #expect(status?["hostIP"]?.string == "172.18.0.2")
        let ready = status?["conditions"]?.array?.first { $0["type"]?.string == "Ready" }
        #expect(ready?["status"]?.string == "True")
        #expect(await R.eventually {
            await R.events(api) == ["Created: Created container: app", "Pulled: Successfully pulled image \"nginx\" in 0s (0s including waiting). Image size: 0 bytes.",
                                    "Pulling: Pulling image \"nginx\"", "Started: Started container app"]
        })
        let sources = await api.objects(BuiltinResources.events).map { $0["source"] }
        #expect(sources.allSatisfy { $0 == .object(["component": .string("kubelet"), "host": .string("w1")]) })
        // Only status writes and events: the pod itself is never updated.
        let podWrites = await api.writes.filter { $0.resource == "pods" }
        #expect(podWrites.allSatisfy { $0.verb == "update" && $0.subresource == "status" })
    }

    @Test func aJobsPodEndsSucceededAndANodeWithoutRangeUsesContainerdsBridge() async throws {
        let job = Self.pod("job-x", on: "w1", jobOwned: true, annotations: [SimulatedRun.runDurationAnnotation: "200ms"])
        let (api, stop) = await cluster(nodes: [Self.worker("w1", podCIDR: nil)], pods: [job])
        defer { stop() }
        #expect(await R.eventually { await phase(api, "job-x") == "Succeeded" })
        let status = await pod(api, "job-x")?["status"]
        #expect(status?["podIP"]?.string == "10.88.0.2")
        let app = status?["containerStatuses"]?.array?.first
        #expect(app?["state"]?["terminated"]?["exitCode"] == .integer(0))
        #expect(app?["state"]?["terminated"]?["reason"]?.string == "Completed")
    }

    @Test func deletionStopsTheContainersThenDeletesThePod() async throws {
        let (api, stop) = await cluster(nodes: [Self.worker("w1")], pods: [Self.pod("web", on: "w1")])
        defer { stop() }
        #expect(await R.eventually { await phase(api, "web") == "Running" })
        let accepted = try await api.delete(BuiltinResources.pods, namespace: "default", name: "web", options: .init())
        #expect(accepted["metadata"]?["deletionTimestamp"] != nil)  // a grace period: Terminating first
        #expect(await R.eventually { await pod(api, "web") == nil })
        #expect(await R.eventually { await R.events(api).contains("Killing: Stopping container app") })
        // The user's delete, then the kubelet's (a retry may repeat it if the watch is slow to
        // show the first one; a repeat finds the pod gone and changes nothing).
        let deletes = await R.writes(api, "delete", BuiltinResources.pods)
        #expect(deletes.count >= 2)
    }

    @Test func workerLeasesAreCreatedAndRenewed() async throws {
        let (api, stop) = await cluster(nodes: [Self.worker("w1")], leaseInterval: .milliseconds(300))
        defer { stop() }
        let node = await api.object(BuiltinResources.nodes, namespace: nil, name: "w1") ?? .null
        func lease() async -> JSONValue? { await api.object(BuiltinResources.leases, namespace: "kube-node-lease", name: "w1") }
        #expect(await R.eventually { await lease() != nil })
        let first = await lease()
        #expect(first?["spec"]?["holderIdentity"]?.string == "w1")
        #expect(first?["spec"]?["leaseDurationSeconds"] == .integer(40))
        #expect(first?["metadata"]?["ownerReferences"] == .array([.object([
            "apiVersion": .string("v1"), "kind": .string("Node"), "name": .string("w1"), "uid": node["metadata"]!["uid"]!,
        ])]))
        let renewed = first?["spec"]?["renewTime"]?.string
        #expect(await R.eventually { await lease()?["spec"]?["renewTime"]?.string != renewed })
        // The control-plane node's Lease is the apiserver's business.
        #expect(await api.object(BuiltinResources.leases, namespace: "kube-node-lease", name: "cp") == nil)
    }

    @Test func aWorkerMarkedUnknownPostsReadyAgain() async throws {
        var node = Self.worker("w1")
        node["status"]?["conditions"] = .array([.object([
            "type": .string("Ready"), "status": .string("Unknown"), "reason": .string("NodeStatusUnknown"),
            "message": .string("Kubelet stopped posting node status."), "lastHeartbeatTime": .string(KubeTime.rfc3339(Date())),
            "lastTransitionTime": .string(KubeTime.rfc3339(Date())),
        ])])
        let (api, stop) = await cluster(nodes: [node])
        defer { stop() }
        #expect(await R.eventually {
            let ready = await api.object(BuiltinResources.nodes, namespace: nil, name: "w1")?["status"]?["conditions"]?.array?
                .first { $0["type"]?.string == "Ready" }
            return ready?["status"]?.string == "True" && ready?["reason"]?.string == "KubeletReady"
        })
    }

    @Test func theControlPlanesOrdinaryPodsRunButNotItsMirrorPodsNorOtherNodesPods() async throws {
        var controlPlane = Self.worker("cp", hostIP: "127.0.0.1", podCIDR: "10.244.0.0/24")
        controlPlane["metadata"]?["annotations"] = .object([:])
        var real = Self.worker("real", podCIDR: "10.244.2.0/24")
        real["metadata"]?["annotations"] = .object([:])
        let mirror = Self.pod("etcd-cp", on: "cp", annotations: [SimulatedKubeletScope.mirrorAnnotation: "abc"])
        let (api, stop) = await cluster(nodes: [controlPlane, real],
                                        pods: [Self.pod("on-cp", on: "cp"), mirror, Self.pod("elsewhere", on: "real")])
        defer { stop() }
        #expect(await R.eventually { await phase(api, "on-cp") == "Running" })
        #expect(await pod(api, "on-cp")?["status"]?["podIP"]?.string == "10.244.0.2")
        try await Task.sleep(for: .milliseconds(500))
        #expect(await phase(api, "etcd-cp") == "Pending")
        #expect(await phase(api, "elsewhere") == "Pending")
        #expect(await api.object(BuiltinResources.leases, namespace: "kube-node-lease", name: "real") == nil)
    }

    @Test func aRestartKeepsTheAddressesPodsAlreadyHave() async throws {
        // Pods from before the restart: one in the middle of its life, one finished.
        let old = Self.pod("old", on: "w1", status: [
            "phase": .string("Pending"), "podIP": .string("10.244.1.2"), "podIPs": .array([.object(["ip": .string("10.244.1.2")])]),
        ])
        let done = Self.pod("done", on: "w1", jobOwned: true, status: ["phase": .string("Succeeded"), "podIP": .string("10.244.1.3")])
        let (api, stop) = await cluster(nodes: [Self.worker("w1")], pods: [old, done, Self.pod("new", on: "w1")])
        defer { stop() }
        #expect(await R.eventually {
            let old = await phase(api, "old"), new = await phase(api, "new")
            return old == "Running" && new == "Running"
        })
        #expect(await pod(api, "old")?["status"]?["podIP"]?.string == "10.244.1.2")
        // The finished pod's address is free again; the live one's is not.
        #expect(await pod(api, "new")?["status"]?["podIP"]?.string == "10.244.1.3")
    }

    @Test func aPodBoundBeforeItsNodeAppearsRunsOnceItDoes() async throws {
        let (api, stop) = await cluster(nodes: [], pods: [Self.pod("early", on: "w9")])
        defer { stop() }
        try await Task.sleep(for: .milliseconds(300))
        #expect(await phase(api, "early") == "Pending")
        await api.seed(BuiltinResources.nodes, Self.worker("w9", podCIDR: "10.244.9.0/24"))
        #expect(await R.eventually { await phase(api, "early") == "Running" })
        #expect(await pod(api, "early")?["status"]?["podIP"]?.string == "10.244.9.2")
    }
}
