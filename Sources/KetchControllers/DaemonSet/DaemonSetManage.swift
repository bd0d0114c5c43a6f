import Foundation
import KubeCore

/// What one sync of a DaemonSet does about the pods on its nodes, as upstream's `manage`
/// decides it: start a pod on every eligible node without one, delete failed and succeeded
/// pods (at most once per back-off period per node), surplus pods and pods on nodes that no
/// longer qualify.
public struct DaemonSetManage: Sendable, Equatable {
    /// Nodes to start a pod on.
    public var nodesNeedingPods: [String] = []
    /// Pods to delete.
    public var podsToDelete: [JSONValue] = []
    /// Nodes whose failed pod was deleted: their back-off grows.
    public var failedPodNodes: [String] = []
    /// Nodes whose failed pod waits for its back-off to pass.
    public var backingOffNodes: [String] = []
    /// Events to record about the DaemonSet.
    public var events: [PlannedEvent] = []

    /// The plan for `daemonSet` over `nodes`, its pods grouped by node, at revision `hash`.
    /// `inBackoff` says whether a node's failed pod was deleted too recently to delete again.
    public init(daemonSet: JSONValue, nodes: [JSONValue], podsByNode: DaemonPodsByNode, hash: String, now: Date,
                inBackoff: (String) -> Bool) {
        let spec = DaemonSetSpec(daemonSet)
        for node in nodes {
            plan(node: node, daemonSet: daemonSet, spec: spec, podsByNode: podsByNode, hash: hash, now: now, inBackoff: inBackoff)
        }
        // `getUnscheduledPodsWithoutNode`: pods pinned to nodes that are gone would never be
        // scheduled, and pod GC only removes bound pods.
        let existing = Set(nodes.map { ObjectMetadata.name($0) })
        for (node, pods) in podsByNode.pods.sorted(by: { $0.key < $1.key }) where !existing.contains(node) {
            podsToDelete += pods.filter { PodReadiness.nodeName($0).isEmpty }
        }
    }

    /// `podsShouldBeOnNode` for one node.
    private mutating func plan(node: JSONValue, daemonSet: JSONValue, spec: DaemonSetSpec, podsByNode: DaemonPodsByNode,
                               hash: String, now: Date, inBackoff: (String) -> Bool) {
        let nodeName = ObjectMetadata.name(node)
        let eligibility = DaemonNodeEligibility(daemonSet: daemonSet, node: node)
        let pods = podsByNode.pods[nodeName]
        switch (eligibility.shouldRun, eligibility.shouldContinueRunning, pods) {
        case (true, _, nil):
            nodesNeedingPods.append(nodeName)
        case (_, true, let pods?):
            var running: [JSONValue] = []
            for pod in pods where !PodReadiness.isTerminating(pod) {
                switch PodReadiness.phase(pod) {
                case "Failed":
                    if inBackoff(nodeName) {
                        backingOffNodes.append(nodeName)
                        continue
                    }
                    failedPodNodes.append(nodeName)
                    events.append(.warning(DaemonSetWellKnown.Reason.failedDaemonPod,
                                           "Found failed daemon pod \(ObjectMetadata.namespace(pod))/\(ObjectMetadata.name(pod)) on node \(nodeName), will try to kill it"))
                    podsToDelete.append(pod)
                case "Succeeded":
                    events.append(.normal(DaemonSetWellKnown.Reason.succeededDaemonPod,
                                          "Found succeeded daemon pod \(ObjectMetadata.namespace(pod))/\(ObjectMetadata.name(pod)) on node \(nodeName), will try to delete it"))
                    podsToDelete.append(pod)
                default:
                    running.append(pod)
                }
            }
            pruneSurplus(running, nodeName: nodeName, shouldRun: eligibility.shouldRun, spec: spec, hash: hash, now: now)
        case (_, false, let pods?):
            podsToDelete += pods.filter { !PodReadiness.isTerminating($0) }
        default:
            break
        }
    }

    /// Without surge, every running pod but the oldest goes. With surge, an old and a new pod
    /// may overlap until the new one is available (or the old one is no longer ready); any
    /// other extra pods go, and a node left with none gets a new one.
    private mutating func pruneSurplus(_ running: [JSONValue], nodeName: String, shouldRun: Bool, spec: DaemonSetSpec,
                                       hash: String, now: Date) {
        let sorted = DaemonPodsByNode.oldestFirst(running)
        guard spec.allowsSurge else {
            podsToDelete += sorted.dropFirst()
            return
        }
        guard sorted.count > 1 else {
            if sorted.isEmpty && shouldRun { nodesNeedingPods.append(nodeName) }
            return
        }
        var oldestNew: JSONValue?, oldestOld: JSONValue?
        for pod in sorted {
            if ObjectMetadata.labels(pod)[DaemonSetWellKnown.revisionHashLabel] == hash {
                if oldestNew == nil { oldestNew = pod; continue }
            } else if oldestOld == nil {
                oldestOld = pod
                continue
            }
            podsToDelete.append(pod)
        }
        if let oldestNew, let oldestOld,
           !PodReadiness.isReady(oldestOld) || PodReadiness.isAvailable(oldestNew, minReadySeconds: spec.minReadySeconds, now: now) {
            podsToDelete.append(oldestOld)
        }
    }
}
