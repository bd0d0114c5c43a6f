import Foundation
import Testing
@testable import KetchControllers
import KubeCore

@Suite("DaemonSet logic")
struct DaemonSetLogicTests {
    typealias F = DaemonSetFixtures

    @Test func daemonPodsGetUpstreamsTolerationsAndAPinToTheirNode() {
        let spec: JSONValue = .object(["tolerations": .array([.object([
            "key": .string("node.kubernetes.io/not-ready"), "operator": .string("Exists"), "effect": .string("NoExecute"),
            "tolerationSeconds": .integer(300),
        ])])])
        let tolerations = DaemonPodTemplate.addingTolerations(to: spec)["tolerations"]?.array ?? []
        #expect(tolerations.map { "\($0["key"]?.string ?? ""):\($0["effect"]?.string ?? "")" } == [
            "node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/unreachable:NoExecute",
            "node.kubernetes.io/disk-pressure:NoSchedule", "node.kubernetes.io/memory-pressure:NoSchedule",
            "node.kubernetes.io/pid-pressure:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule",
        ])
        // The user's toleration with a time limit is replaced by the unlimited one.
        #expect(tolerations[0]["tolerationSeconds"] == nil)
        let hostNetwork = DaemonPodTemplate.addingTolerations(to: .object(["hostNetwork": .bool(true)]))
        #expect(hostNetwork["tolerations"]?.array?.last?["key"]?.string == "node.kubernetes.io/network-unavailable")

        let preferred: JSONValue = .array([.object(["weight": .integer(1)])])
        let affinity: JSONValue = .object(["nodeAffinity": .object([
            "requiredDuringSchedulingIgnoredDuringExecution": .object(["nodeSelectorTerms": .array([.object([
                "matchExpressions": .array([.object(["key": .string("zone"), "operator": .string("Exists")])]),
            ])])]),
            "preferredDuringSchedulingIgnoredDuringExecution": preferred,
        ])])
        let pinned = DaemonPodTemplate.pinning(.object(["affinity": affinity]), to: "n2")
        let terms = pinned[path: ["affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]]
        #expect(terms == .array([.object(["matchFields": .array([.object([
            "key": .string("metadata.name"), "operator": .string("In"), "values": .array([.string("n2")]),
        ])])])]))
        #expect(pinned[path: ["affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution"]] == preferred)
        #expect(DaemonPodTemplate.targetNode(of: .object(["spec": pinned])) == "n2")
        #expect(DaemonPodTemplate.targetNode(of: F.pod("p", node: "n3")) == "n3")
        #expect(DaemonPodTemplate.targetNode(of: .object(["spec": .object([:])])) == nil)
    }

    @Test func templateCarriesGenerationAndHashLabels() {
        let template = DaemonPodTemplate.template(F.daemonSet()[path: ["spec", "template"]]!, generation: 3, hash: "abc")
        #expect(ObjectMetadata.labels(template) == ["app": "agent", "pod-template-generation": "3", "controller-revision-hash": "abc"])
        #expect(DaemonSetSpec(F.daemonSet(generation: 4)).templateGeneration == 4)
        var annotated = F.daemonSet(generation: 4)
        annotated["metadata"]?["annotations"] = .object([DaemonSetWellKnown.templateGenerationAnnotation: .string("2")])
        #expect(DaemonSetSpec(annotated).templateGeneration == 2)
    }

    @Test func eligibilityFollowsSelectorsTaintsAndTolerations() {
        let ds = F.daemonSet(nodeSelector: ["role": "edge"])
        #expect(DaemonNodeEligibility(daemonSet: ds, node: F.node("a", labels: ["role": "edge"])) == .init(shouldRun: true, shouldContinueRunning: true))
        #expect(DaemonNodeEligibility(daemonSet: ds, node: F.node("b")) == .init(shouldRun: false, shouldContinueRunning: false))
        let plain = F.daemonSet()
        let controlPlane = F.node("cp", taints: [("node-role.kubernetes.io/control-plane", "NoSchedule")])
        #expect(DaemonNodeEligibility(daemonSet: plain, node: controlPlane) == .init(shouldRun: false, shouldContinueRunning: true))
        let evicting = F.node("x", taints: [("dedicated", "NoExecute")])
        #expect(DaemonNodeEligibility(daemonSet: plain, node: evicting) == .init(shouldRun: false, shouldContinueRunning: false))
        // Cordoned and not-ready nodes still run daemon pods: the default tolerations cover them.
        let cordoned = F.node("c", taints: [("node.kubernetes.io/unschedulable", "NoSchedule"), ("node.kubernetes.io/not-ready", "NoExecute")])
        #expect(DaemonNodeEligibility(daemonSet: plain, node: cordoned).shouldRun)
    }

    @Test func manageStartsMissingPodsAndRemovesFailedSurplusAndMisplacedOnes() {
        let ds = F.daemonSet(nodeSelector: ["role": "edge"])
        let nodes = [F.node("a", labels: ["role": "edge"]), F.node("b", labels: ["role": "edge"]),
                     F.node("c", labels: ["role": "edge"]), F.node("d"), F.node("e", labels: ["role": "edge"])]
        let pods = [
            F.pod("on-b-old", node: "b", created: "2025-01-01T09:00:00Z"), F.pod("on-b-new", node: "b"),
            F.pod("on-c", node: "c", phase: "Failed"), F.pod("on-d", node: "d"),
            F.pod("on-e", node: "e", phase: "Succeeded"), F.pod("for-gone-node", node: "z", bound: false),
        ]
        let plan = DaemonSetManage(daemonSet: ds, nodes: nodes, podsByNode: DaemonPodsByNode(pods), hash: "h1", now: F.now) { _ in false }
        #expect(plan.nodesNeedingPods == ["a"])
        #expect(F.names(plan.podsToDelete) == ["for-gone-node", "on-b-new", "on-c", "on-d", "on-e"])
        #expect(plan.failedPodNodes == ["c"])
        #expect(plan.events == [
            .warning("FailedDaemonPod", "Found failed daemon pod default/on-c on node c, will try to kill it"),
            .normal("SucceededDaemonPod", "Found succeeded daemon pod default/on-e on node e, will try to delete it"),
        ])
        let backingOff = DaemonSetManage(daemonSet: ds, nodes: nodes, podsByNode: DaemonPodsByNode(pods), hash: "h1", now: F.now) { $0 == "c" }
        #expect(!F.names(backingOff.podsToDelete).contains("on-c"))
        #expect(backingOff.backingOffNodes == ["c"])
    }

    @Test func surgeKeepsTheOldPodUntilTheNewOneIsAvailable() {
        let ds = F.daemonSet(maxUnavailable: .integer(0), maxSurge: .integer(1))
        let nodes = [F.node("a")]
        let waiting = [F.pod("old", node: "a", hash: "h0"), F.pod("new", node: "a", hash: "h1", ready: false)]
        #expect(DaemonSetManage(daemonSet: ds, nodes: nodes, podsByNode: DaemonPodsByNode(waiting), hash: "h1", now: F.now) { _ in false }
            .podsToDelete.isEmpty)
        let ready = [F.pod("old", node: "a", hash: "h0"), F.pod("new", node: "a", hash: "h1")]
        #expect(F.names(DaemonSetManage(daemonSet: ds, nodes: nodes, podsByNode: DaemonPodsByNode(ready), hash: "h1", now: F.now) { _ in false }
            .podsToDelete) == ["old"])
    }

    @Test func rollingUpdateWithoutSurgeStaysWithinMaxUnavailable() {
        let nodes = ["a", "b", "c", "d"].map { F.node($0) }
        let old = ["a", "b", "c", "d"].map { F.pod("old-\($0)", node: $0, hash: "h0") }
        let one = DaemonSetRollingUpdate(daemonSet: F.daemonSet(), nodes: nodes, podsByNode: DaemonPodsByNode(old), hash: "h1", now: F.now)
        #expect(F.names(one.podsToDelete) == ["old-a"])
        #expect(one.nodesToCreate.isEmpty)
        let half = DaemonSetRollingUpdate(daemonSet: F.daemonSet(maxUnavailable: .string("50%")), nodes: nodes,
                                          podsByNode: DaemonPodsByNode(old), hash: "h1", now: F.now)
        #expect(F.names(half.podsToDelete) == ["old-a", "old-b"])
        // A node still waiting for its new pod uses up the budget; broken old pods go anyway.
        let midway = [F.pod("new-a", node: "a", ready: false), F.pod("old-b", node: "b", hash: "h0", ready: false),
                      F.pod("old-c", node: "c", hash: "h0"), F.pod("old-d", node: "d", hash: "h0")]
        let step = DaemonSetRollingUpdate(daemonSet: F.daemonSet(), nodes: nodes, podsByNode: DaemonPodsByNode(midway), hash: "h1", now: F.now)
        #expect(F.names(step.podsToDelete) == ["old-b"])
        let onDelete = DaemonSetSpec(F.daemonSet(strategy: "OnDelete"))
        #expect(onDelete.unavailableCount(4) == 0 && onDelete.surgeCount(4) == 0)
    }

    @Test func rollingUpdateWithSurgeCreatesFirst() {
        let nodes = ["a", "b", "c"].map { F.node($0) }
        let ds = F.daemonSet(maxUnavailable: .integer(0), maxSurge: .integer(1))
        let old = ["a", "b", "c"].map { F.pod("old-\($0)", node: $0, hash: "h0") }
        let first = DaemonSetRollingUpdate(daemonSet: ds, nodes: nodes, podsByNode: DaemonPodsByNode(old), hash: "h1", now: F.now)
        #expect(first.nodesToCreate == ["a"] && first.podsToDelete.isEmpty)
        let replaced = [F.pod("old-a", node: "a", hash: "h0"), F.pod("new-a", node: "a"),
                        F.pod("old-b", node: "b", hash: "h0"), F.pod("old-c", node: "c", hash: "h0", ready: false)]
        let next = DaemonSetRollingUpdate(daemonSet: ds, nodes: nodes, podsByNode: DaemonPodsByNode(replaced), hash: "h1", now: F.now)
        #expect(F.names(next.podsToDelete) == ["old-a"])
        #expect(next.nodesToCreate == ["c", "b"])
    }

    @Test func statusCountsNodesAndTheOldestPodOnEach() {
        let ds = F.daemonSet(nodeSelector: ["role": "edge"], generation: 2)
        let nodes = [F.node("a", labels: ["role": "edge"]), F.node("b", labels: ["role": "edge"]),
                     F.node("c", labels: ["role": "edge"]), F.node("d")]
        let pods = [F.pod("on-a", node: "a"), F.pod("on-b", node: "b", hash: "h0", ready: false), F.pod("on-d", node: "d")]
        let status = DaemonSetStatus(daemonSet: ds, nodes: nodes, podsByNode: DaemonPodsByNode(pods), hash: "h1", now: F.now)
        #expect(status.desiredNumberScheduled == 3 && status.currentNumberScheduled == 2 && status.numberMisscheduled == 1)
        #expect(status.numberReady == 1 && status.numberAvailable == 1 && status.updatedNumberScheduled == 1)
        #expect(status.numberUnavailable == 2)
        let json = status.json(over: ds, observeGeneration: true)
        #expect(json["observedGeneration"]?.int == 2 && json["numberMisscheduled"]?.int == 1)
        #expect(status.differs(from: ds, observeGeneration: false))
        var written = ds
        written["status"] = json
        #expect(!status.differs(from: written, observeGeneration: true))
        let empty = DaemonSetStatus(daemonSet: ds, nodes: [], podsByNode: DaemonPodsByNode([]), hash: "h1", now: F.now)
        #expect(empty.json(over: ds, observeGeneration: false) == .object([
            "desiredNumberScheduled": .integer(0), "currentNumberScheduled": .integer(0),
            "numberMisscheduled": .integer(0), "numberReady": .integer(0),
        ]))
    }

    @Test func historyNamesRevisionsByTemplateHashAndTrimsUnusedOnes() {
        let ds = F.daemonSet()
        let revision = DaemonSetHistory.snapshot(ds, number: 1)
        let hash = DaemonSetHistory.hash(of: revision)
        #expect(ObjectMetadata.name(revision) == "agent-\(hash)" && hash.count >= 8)
        #expect(ObjectMetadata.labels(revision) == ["app": "agent", "controller-revision-hash": hash])
        #expect(revision[path: ["data", "spec", "template", "$patch"]]?.string == "replace")
        #expect(DaemonSetHistory.matches(ds, revision))
        #expect(!DaemonSetHistory.matches(F.daemonSet(image: "agent:2"), revision))
        #expect(DaemonSetHistory.hash(of: DaemonSetHistory.snapshot(F.daemonSet(image: "agent:2"), number: 2)) != hash)
        // A bumped collision count picks another name for the same template.
        let collided = DaemonSetHistory.snapshot(F.daemonSet(status: ["collisionCount": .integer(1)]), number: 1)
        #expect(ObjectMetadata.name(collided) != ObjectMetadata.name(revision))

        var ds1 = F.daemonSet()
        ds1["spec"]?["revisionHistoryLimit"] = .integer(2)
        let old = (1...3).map { n -> JSONValue in
            var r = DaemonSetHistory.snapshot(F.daemonSet(image: "agent:\(n)"), number: n)
            r["metadata"]?["labels"]?["controller-revision-hash"] = .string("h\(n)")
            return r
        }
        // Three old revisions, two may stay: the oldest one no pod uses goes.
        let doomed = DaemonSetHistory.toCleanUp(ds1, old: old, pods: [F.pod("p", node: "a", hash: "h1")])
        #expect(doomed.map(ControllerHistory.number) == [2])
        ds1["spec"]?["revisionHistoryLimit"] = .integer(0)
        #expect(DaemonSetHistory.toCleanUp(ds1, old: old, pods: []).map(ControllerHistory.number) == [1, 2, 3])
    }

    @Test func failedPodsBackOffDoublingUpToTheLimitAndBudgetsRoundUp() {
        let backoff = FailedPodBackoff(initial: .seconds(1), maximum: .seconds(4))
        #expect(!backoff.isBackingOff("k", now: F.now))
        backoff.next("k", now: F.now)
        #expect(backoff.isBackingOff("k", now: F.now.addingTimeInterval(0.5)))
        #expect(!backoff.isBackingOff("k", now: F.now.addingTimeInterval(1.5)))
        for _ in 0..<3 { backoff.next("k", now: F.now) }
        #expect(backoff.delay("k") == .seconds(4))
        // A quiet spell of twice the maximum starts over.
        backoff.next("k", now: F.now.addingTimeInterval(9))
        #expect(backoff.delay("k") == .seconds(1))

        let spec = DaemonSetSpec(F.daemonSet(maxUnavailable: .string("25%"), maxSurge: .string("10%")))
        #expect(spec.unavailableCount(3) == 1 && spec.surgeCount(30) == 3 && spec.allowsSurge)
        #expect(!DaemonSetSpec(F.daemonSet()).allowsSurge && DaemonSetSpec(F.daemonSet()).unavailableCount(5) == 1)
    }
}
