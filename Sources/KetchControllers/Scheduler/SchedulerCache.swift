import Foundation
import KubeCore
import Synchronization

/// The scheduler's view of every node and the pods on it, kept current by the pod and node
/// informers, as kube-scheduler's cache. Pods the scheduler has bound but the informer has not
/// shown on their node yet are *assumed*: counted on the node already, so a burst of pending
/// pods does not pile onto the node that looked emptiest before the first binding came back.
///
/// Informer handlers call it synchronously, so changes apply in the order they were seen.
final class SchedulerCache: Sendable {
    /// How long an assumed pod whose binding succeeded waits for the informer before it is
    /// dropped (the watch may have missed it; the next list brings it back).
    static let assumeTTL: TimeInterval = 30

    private struct CachedPod {
        var info: PodSchedulingInfo
        var assumed: Bool
        /// When an assumed pod stops counting; nil while its binding is in flight.
        var expires: Date?
    }

    private struct State {
        var nodes: [String: NodeSchedulingInfo] = [:]
        var pods: [ObjectKey: CachedPod] = [:]
    }

    private let state = Mutex(State())

    /// Records a Node object (added or changed).
    func setNode(_ node: JSONValue) {
        let name = node["metadata"]?["name"]?.string ?? ""
        state.withLock { s in
            var info = s.nodes[name] ?? NodeSchedulingInfo(name: name)
            info.setNode(node)
            s.nodes[name] = info
        }
    }

    /// Forgets a Node object; pods still naming it keep counting until they go.
    func removeNode(named name: String) {
        state.withLock { s in
            guard var info = s.nodes[name] else { return }
            info.hasNode = false
            s.nodes[name] = info.podCount == 0 ? nil : info
        }
    }

    /// Records a pod as the informer shows it: counted on its node while it is assigned and
    /// not terminal, not counted otherwise. An assumed pod the informer now shows bound is
    /// confirmed. Returns whether resources were freed (a reason to retry unschedulable pods).
    @discardableResult
    func setPod(_ pod: JSONValue) -> Bool {
        let key = ObjectKey(pod)
        let counts = Self.occupiesNode(pod)
        return state.withLock { s in
            let previous = s.pods[key]
            if counts {
                let info = PodSchedulingInfo(pod)
                if let previous, previous.info.uid == info.uid, previous.info.nodeName == info.nodeName,
                   previous.info.requests == info.requests, previous.info.hostPorts == info.hostPorts,
                   previous.info.ownerUID == info.ownerUID {
                    s.pods[key]?.assumed = false
                    s.pods[key]?.expires = nil
                    return false
                }
                if let previous { Self.uncount(previous.info, in: &s) }
                Self.count(info, in: &s)
                s.pods[key] = CachedPod(info: info, assumed: false, expires: nil)
                return previous != nil
            }
            // An assumed pod the informer still shows pending: its binding has not landed yet.
            if let previous, previous.assumed, pod["spec"]?["nodeName"]?.string?.isEmpty ?? true,
               previous.info.uid == (pod["metadata"]?["uid"]?.string ?? "") {
                return false
            }
            guard let previous else { return false }
            Self.uncount(previous.info, in: &s)
            s.pods[key] = nil
            return true
        }
    }

    /// Forgets a deleted pod. Returns whether it was counted on a node.
    @discardableResult
    func removePod(_ key: ObjectKey) -> Bool {
        state.withLock { s in
            guard let previous = s.pods.removeValue(forKey: key) else { return false }
            Self.uncount(previous.info, in: &s)
            return true
        }
    }

    /// Counts `pod` on `node` before its binding is confirmed.
    func assume(_ pod: PodSchedulingInfo, on node: String) {
        var info = pod
        info.nodeName = node
        state.withLock { s in
            if let previous = s.pods[info.key] { Self.uncount(previous.info, in: &s) }
            Self.count(info, in: &s)
            s.pods[info.key] = CachedPod(info: info, assumed: true, expires: nil)
        }
    }

    /// The binding of an assumed pod succeeded: it counts until the informer confirms it, or
    /// at most `assumeTTL` from `now`.
    func finishBinding(_ key: ObjectKey, now: Date) {
        state.withLock { s in
            guard s.pods[key]?.assumed == true else { return }
            s.pods[key]?.expires = now.addingTimeInterval(Self.assumeTTL)
        }
    }

    /// The binding of an assumed pod failed: it no longer counts.
    func forget(_ key: ObjectKey) {
        state.withLock { s in
            guard let previous = s.pods[key], previous.assumed else { return }
            Self.uncount(previous.info, in: &s)
            s.pods[key] = nil
        }
    }

    /// Every node with its pods, assumed ones included, after dropping expired assumptions.
    func snapshot(now: Date) -> [NodeSchedulingInfo] {
        state.withLock { s in
            let expired = s.pods.filter { $0.value.assumed && ($0.value.expires.map { $0 < now } ?? false) }
            for (key, pod) in expired {
                Self.uncount(pod.info, in: &s)
                s.pods[key] = nil
            }
            return s.nodes.values.sorted { $0.name < $1.name }
        }
    }

    /// Whether `key` is assumed and not yet confirmed.
    func isAssumed(_ key: ObjectKey) -> Bool {
        state.withLock { $0.pods[key]?.assumed ?? false }
    }

    /// Whether a pod takes room on a node: assigned and not Succeeded or Failed (the
    /// scheduler's pod informer leaves terminal pods out).
    static func occupiesNode(_ pod: JSONValue) -> Bool {
        let phase = pod["status"]?["phase"]?.string
        return !(pod["spec"]?["nodeName"]?.string ?? "").isEmpty && phase != "Succeeded" && phase != "Failed"
    }

    private static func count(_ pod: PodSchedulingInfo, in s: inout State) {
        var node = s.nodes[pod.nodeName] ?? NodeSchedulingInfo(name: pod.nodeName)
        node.add(pod)
        s.nodes[pod.nodeName] = node
    }

    private static func uncount(_ pod: PodSchedulingInfo, in s: inout State) {
        guard var node = s.nodes[pod.nodeName] else { return }
        node.remove(pod)
        s.nodes[pod.nodeName] = !node.hasNode && node.podCount == 0 ? nil : node
    }
}
