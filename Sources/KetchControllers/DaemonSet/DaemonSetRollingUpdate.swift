import Foundation
import KubeCore

/// Upstream's `rollingUpdate` for DaemonSets: which out-of-date pods to delete and which nodes
/// get a new pod ahead of the old one's deletion, within `maxUnavailable` and `maxSurge`.
/// Creating the replacements of deleted pods is left to the next `manage`.
public struct DaemonSetRollingUpdate: Sendable, Equatable {
    /// Old pods to delete.
    public var podsToDelete: [JSONValue] = []
    /// Nodes to start an updated pod on next to the old one (surge only).
    public var nodesToCreate: [String] = []

    /// The step for `daemonSet` over `nodes` at revision `hash`.
    public init(daemonSet: JSONValue, nodes: [JSONValue], podsByNode: DaemonPodsByNode, hash: String, now: Date) {
        let spec = DaemonSetSpec(daemonSet)
        var byNode = podsByNode.pods
        var desired = 0
        var nodesByName: [String: JSONValue] = [:]
        for node in nodes {
            let name = ObjectMetadata.name(node)
            nodesByName[name] = node
            guard DaemonNodeEligibility(daemonSet: daemonSet, node: node).shouldRun else { continue }
            desired += 1
            if byNode[name] == nil { byNode[name] = [] }
        }
        var maxUnavailable = spec.unavailableCount(desired)
        let maxSurge = spec.surgeCount(desired)
        // An impossible configuration (both zero) falls back to one unavailable at a time.
        if desired > 0 && maxUnavailable == 0 && maxSurge == 0 { maxUnavailable = 1 }
        let context = Context(daemonSet: daemonSet, spec: spec, hash: hash, now: now, nodes: nodesByName)
        let nodePods = byNode.sorted { $0.key < $1.key }
        if maxSurge == 0 {
            podsToDelete = context.withoutSurge(nodePods, maxUnavailable: maxUnavailable)
        } else {
            (podsToDelete, nodesToCreate) = context.withSurge(nodePods, maxSurge: maxSurge, desired: desired)
        }
    }

    private struct Context {
        let daemonSet: JSONValue
        let spec: DaemonSetSpec
        let hash: String
        let now: Date
        let nodes: [String: JSONValue]

        func available(_ pod: JSONValue) -> Bool {
            PodReadiness.isAvailable(pod, minReadySeconds: spec.minReadySeconds, now: now)
        }

        func shouldRun(_ nodeName: String) -> Bool {
            guard let node = nodes[nodeName] else { return false }
            return DaemonNodeEligibility(daemonSet: daemonSet, node: node).shouldRun
        }

        /// `findUpdatedPodsOnNode`: the one new and one old live pod of a node; nil when there
        /// are more (manage prunes them first).
        func split(_ pods: [JSONValue]) -> (new: JSONValue?, old: JSONValue?)? {
            var new: JSONValue?, old: JSONValue?
            for pod in pods where !PodReadiness.isTerminating(pod) {
                if DaemonPodsByNode.isUpdated(pod, hash: hash, generation: spec.templateGeneration) {
                    if new != nil { return nil }
                    new = pod
                } else {
                    if old != nil { return nil }
                    old = pod
                }
            }
            return (new, old)
        }

        /// Delete first: unavailable old pods always go; available ones only while fewer than
        /// `maxUnavailable` nodes lack an available pod.
        func withoutSurge(_ nodePods: [(key: String, value: [JSONValue])], maxUnavailable: Int) -> [JSONValue] {
            var unavailable = 0
            var replacements: [JSONValue] = []
            var candidates: [JSONValue] = []
            for (_, pods) in nodePods {
                guard let (new, old) = split(pods) else {
                    unavailable += 1
                    continue
                }
                switch (new, old) {
                case (nil, nil), (.some, .some):
                    unavailable += 1
                case (let new?, nil):
                    if !available(new) { unavailable += 1 }
                case (nil, let old?):
                    if !available(old) {
                        replacements.append(old)
                        unavailable += 1
                    } else if unavailable < maxUnavailable {
                        candidates.append(old)
                    }
                }
            }
            let room = min(max(0, maxUnavailable - unavailable), candidates.count)
            return replacements + candidates.prefix(room)
        }

        /// Create first: a node whose old pod is unavailable gets a new one at once, up to
        /// `maxSurge` other nodes get one too, and an old pod goes once its replacement is
        /// available. Pods on nodes the DaemonSet no longer wants go only while enough others
        /// are available.
        func withSurge(_ nodePods: [(key: String, value: [JSONValue])], maxSurge: Int,
                       desired: Int) -> ([JSONValue], [String]) {
            var toDelete: [JSONValue] = []
            var shouldNotRun: [JSONValue] = []
            var allowedNodes: [String] = []
            var candidateNodes: [String] = []
            var surge = 0
            var availableCount = 0
            for (nodeName, pods) in nodePods {
                guard let (new, old) = split(pods) else {
                    surge += 1
                    continue
                }
                if let old {
                    if available(old) { availableCount += 1 }
                } else if let new, available(new) {
                    availableCount += 1
                }
                switch (new, old) {
                case (_, nil):
                    break
                case (nil, let old?):
                    if !available(old) {
                        if shouldRun(nodeName) { allowedNodes.append(nodeName) } else { toDelete.append(old) }
                    } else if !shouldRun(nodeName) {
                        shouldNotRun.append(old)
                    } else if surge < maxSurge {
                        candidateNodes.append(nodeName)
                    }
                case (let new?, let old?):
                    if available(new) { toDelete.append(old) } else { surge += 1 }
                }
            }
            let deletable = min(max(0, availableCount - desired), shouldNotRun.count)
            toDelete += shouldNotRun.prefix(deletable)
            let room = min(max(0, maxSurge - surge), candidateNodes.count)
            return (toDelete, allowedNodes + candidateNodes.prefix(room))
        }
    }
}
