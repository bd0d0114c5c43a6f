import Foundation
import KetchPKI
import KubeClient
import KubeCore
import KubeTestSupport
import Testing
@testable import KetchControllers

/// node-ipam, node-lifecycle and pod garbage collection.
@Suite struct NodeControllersTests {
    @Test func ipamHandsOutTheLowestFreeSubnet() throws {
        let cluster = try #require(IPNetwork("10.244.0.0/16"))
        #expect(NodeIPAMReconciler.firstFree(in: cluster, maskSize: 24, used: [])?.description == "10.244.0.0/24")
        #expect(NodeIPAMReconciler.firstFree(in: cluster, maskSize: 24, used: ["10.244.0.0/24", "10.244.2.0/24"])?.description == "10.244.1.0/24")
        let tiny = try #require(IPNetwork("10.0.0.0/24"))
        #expect(NodeIPAMReconciler.firstFree(in: tiny, maskSize: 24, used: ["10.0.0.0/24"]) == nil)
    }

    @Test func ipamAssignsNodesWithoutCIDR() async throws {
        let api = FakeKubeAPI()
        _ = await api.seed(BuiltinResources.nodes, Fixture.node("a", podCIDR: "10.244.0.0/24"))
        _ = await api.seed(BuiltinResources.nodes, Fixture.node("b"))
        let context = Fixture.context(api) { $0.clusterCIDR = "10.244.0.0/16"; $0.allocateNodeCIDRs = true }
        await context.informer(BuiltinResources.nodes).waitForSync()
        _ = try await NodeIPAMReconciler().reconcile(ObjectKey(namespace: nil, name: "b"), context: context)
        let b = await api.object(BuiltinResources.nodes, namespace: nil, name: "b")
        #expect(b?["spec"]?["podCIDR"] == .string("10.244.1.0/24"))
        #expect(b?["spec"]?["podCIDRs"] == .array([.string("10.244.1.0/24")]))
    }

    @Test func silentNodesBecomeUnknownAndTainted() {
        let now = Date()
        var node = Fixture.node("n")
        node["status"] = .object(["conditions": .array([.object([
            "type": .string("Ready"), "status": .string("True"),
            "lastHeartbeatTime": .string(KubeTime.rfc3339(now.addingTimeInterval(-120))),
        ])])])
        let lease: JSONValue = .object(["spec": .object(["renewTime": .string(KubeTime.micro(now.addingTimeInterval(-100)))])])
        let silent = NodeHealth(node: node, lease: lease, now: now, started: now.addingTimeInterval(-300), grace: 50)
        #expect(silent.isSilent && !silent.conditionsUnknown)
        let taints = silent.taints(current: [], now: "t")
        #expect(taints.map { $0["key"]?.string } == [NodeHealth.unreachable, NodeHealth.unreachable])
        #expect(taints.map { $0["effect"]?.string } == ["NoSchedule", "NoExecute"])
        let unknown = NodeHealth.markedUnknown(node["status"]?["conditions"]?.array ?? [], now: "t")
        #expect(unknown.first?["status"] == .string("Unknown") && unknown.first?["reason"] == .string("NodeStatusUnknown"))

        // A fresh lease clears the taints again; a controller that just started waits a full grace period.
        let fresh: JSONValue = .object(["spec": .object(["renewTime": .string(KubeTime.micro(now))])])
        #expect(NodeHealth(node: node, lease: fresh, now: now, started: now, grace: 50).taints(current: taints, now: "t").isEmpty)
        #expect(!NodeHealth(node: node, lease: lease, now: now, started: now.addingTimeInterval(-10), grace: 50).isSilent)
    }

    @Test func podGCPicksOrphansUnscheduledTerminatingAndExcessTerminated() {
        var terminating = Fixture.pod("t")
        terminating["metadata"]?["deletionTimestamp"] = .string("2026-01-01T00:00:00Z")
        var old = Fixture.pod("old", node: "a", phase: "Succeeded")
        old["metadata"]?["creationTimestamp"] = .string("2026-01-01T00:00:00Z")
        var new = Fixture.pod("new", node: "a", phase: "Failed")
        new["metadata"]?["creationTimestamp"] = .string("2026-01-02T00:00:00Z")
        let plan = PodGCPlan(pods: [Fixture.pod("orphan", node: "gone"), terminating, old, new, Fixture.pod("live", node: "a")],
                             nodes: ["a"], threshold: 1)
        #expect(plan.orphaned.map { $0["metadata"]?["name"]?.string } == ["orphan"])
        #expect(plan.unscheduledTerminating.map { $0["metadata"]?["name"]?.string } == ["t"])
        #expect(plan.excessTerminated.map { $0["metadata"]?["name"]?.string } == ["old"])
    }
}
