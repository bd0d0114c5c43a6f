import Testing
@testable import KetchControllers
import KubeCore

@Suite("Scheduler FailedScheduling messages")
struct SchedulerMessageTests {
    typealias F = SchedulerFixtures

    @Test func aggregatesReasonsAndNamesWhyPreemptionCannotHelp() {
        // A control-plane node plus two full workers; every pod has the default priority 0.
        let nodes = F.infos([F.node("cp", taints: [F.controlPlaneTaint]), F.node("w1", cpu: "1"), F.node("w2", cpu: "1")],
                            pods: [F.pod("a", cpu: "900m", node: "w1"), F.pod("b", cpu: "900m", node: "w2")])
        #expect(F.decide(F.pod("p", cpu: "500m"), nodes) ==
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. "
            + "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.")
    }

    @Test func everyNodeTaintedIsNotHelpedByPreemption() {
        let nodes = F.infos([F.node("controlplane", taints: [F.controlPlaneTaint]),
                             F.node("node01", taints: [Taint(key: "node.kubernetes.io/unreachable", effect: "NoSchedule")])])
        #expect(F.decide(F.pod("p"), nodes) ==
            "0/2 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
            + "1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. "
            + "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.")
    }

    @Test func selectorMismatchOnEveryNode() {
        let nodes = F.infos([F.node("a"), F.node("b"), F.node("c")])
        #expect(F.decide(F.pod("p", nodeSelector: ["workshop-default": "no"]), nodes) ==
            "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. "
            + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
    }

    @Test func aDaemonSetPodPinnedToAFullNode() {
        let pinned: JSONValue = .object(["nodeAffinity": .object(["requiredDuringSchedulingIgnoredDuringExecution": .object([
            "nodeSelectorTerms": .array([.object(["matchFields": .array([.object([
                "key": .string("metadata.name"), "operator": .string("In"), "values": .array([.string("full")])])])])]),
        ])])])
        let nodes = F.infos([F.node("full", pods: 1), F.node("other")], pods: [F.pod("x", node: "full")])
        #expect(F.decide(F.pod("ds", affinity: pinned), nodes) ==
            "0/2 nodes are available: 1 Too many pods, 1 node(s) didn't satisfy plugin(s) [NodeAffinity]. "
            + "preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.")
        #expect(F.decide(F.pod("ds", affinity: pinned), F.infos([F.node("full"), F.node("other")])) == "fits:full")
    }

    @Test func conflictingNamePinsFailInThePreFilter() {
        let both: JSONValue = .object(["matchFields": .array([
            .object(["key": .string("metadata.name"), "operator": .string("In"), "values": .array([.string("a")])]),
            .object(["key": .string("metadata.name"), "operator": .string("In"), "values": .array([.string("b")])]),
        ])])
        let affinity: JSONValue = .object(["nodeAffinity": .object(["requiredDuringSchedulingIgnoredDuringExecution": .object([
            "nodeSelectorTerms": .array([both])])])])
        #expect(F.decide(F.pod("p", affinity: affinity), F.infos([F.node("a"), F.node("b")])) ==
            "0/2 nodes are available: pod affinity terms conflict. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.")
    }

    @Test func histogramSortsAsGoSortsStrings() {
        let error = FitError(numAllNodes: 12, nodeReasons: Array(repeating: ["Insufficient memory"], count: 10)
                                + Array(repeating: ["Insufficient cpu"], count: 2))
        #expect(error.description == "0/12 nodes are available: 10 Insufficient memory, 2 Insufficient cpu.")
        #expect(FitError(numAllNodes: 1, nodeReasons: [["Insufficient cpu", "Insufficient memory"]]).description
            == "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.")
    }

    @Test func noNodesAtAll() {
        #expect(F.decide(F.pod("p"), []) == "no nodes available to schedule pods")
        // Nodes known only through their pods (the Node object is gone) do not count.
        #expect(F.decide(F.pod("p"), [NodeSchedulingInfo(name: "ghost")]) == "no nodes available to schedule pods")
    }

    @Test func preemptionPolicyNeverSaysSo() {
        let nodes = F.infos([F.node("w1", cpu: "1")])
        let pod = F.pod("p", cpu: "2", extraSpec: ["preemptionPolicy": .string("Never")])
        #expect(F.decide(pod, nodes) == "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.")
    }

    @Test func preemptionDryRunWithLowerPriorityPods() {
        let nodes = F.infos([F.node("w1", cpu: "1"), F.node("w2", cpu: "1")],
                            pods: [F.pod("low", cpu: "800m", node: "w1", priority: -5), F.pod("same", cpu: "800m", node: "w2")])
        // Too big even without the victim: the dry run's reasons are the filter's.
        #expect(F.decide(F.pod("big", cpu: "1500m"), nodes) ==
            "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 1 Insufficient cpu, "
            + "1 No preemption victims found for incoming pod.")
        // Evicting "low" would make room: upstream would preempt, so the message has no preemption part.
        #expect(F.decide(F.pod("mid", cpu: "500m"), nodes) == "0/2 nodes are available: 2 Insufficient cpu.")
    }
}
