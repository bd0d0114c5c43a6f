import Foundation
import KubeClient
import KubeCore

/// kube-controller-manager's `pod-garbage-collector-controller`, every `period`:
/// - force-deletes pods bound to a node that no longer exists (after checking the node is
///   really gone), first marking them Failed with the `DisruptionTarget` condition;
/// - force-deletes terminating pods that were never scheduled;
/// - deletes the oldest terminated pods beyond `--terminated-pod-gc-threshold`.
public struct PodGarbageCollector: Runnable {
    /// The catalogue entry.
    public static let descriptor = ControllerDescriptor("pod-garbage-collector-controller", aliases: ["podgc"]) { context in
        [PodGarbageCollector(context: context)]
    }

    /// The controller's context.
    public let context: ControllerContext
    /// How often it looks (upstream: 20 s).
    public var period: Duration = .seconds(20)

    /// A collector using `context`.
    public init(context: ControllerContext) { self.context = context }

    public func run() async {
        let pods = context.informer(BuiltinResources.pods)
        let nodes = context.informer(BuiltinResources.nodes)
        await pods.waitForSync()
        await nodes.waitForSync()
        while !Task.isCancelled {
            await collect(pods: pods.list(), nodes: Set(nodes.list().compactMap { $0["metadata"]?["name"]?.string }))
            do { try await Task.sleep(for: period) } catch { return }
        }
    }

    /// One pass over `pods`, given the names of the nodes that exist.
    func collect(pods: [JSONValue], nodes: Set<String>) async {
        let plan = PodGCPlan(pods: pods, nodes: nodes, threshold: context.options.terminatedPodGCThreshold)
        for pod in plan.orphaned {
            guard let node = pod["spec"]?["nodeName"]?.string,
                  (try? await context.api.getIfPresent(BuiltinResources.nodes, namespace: nil, name: node)) == .some(nil) else { continue }
            await markFailed(pod)
            await forceDelete(pod)
        }
        for pod in plan.unscheduledTerminating + plan.excessTerminated { await forceDelete(pod) }
    }

    private func markFailed(_ pod: JSONValue) async {
        guard !PodGCPlan.isTerminated(pod) else { return }
        var updated = pod
        var status = updated["status"]?.object ?? [:]
        var conditions = (status["conditions"]?.array ?? []).filter { $0["type"]?.string != "DisruptionTarget" }
        conditions.append(.object([
            "type": .string("DisruptionTarget"), "status": .string("True"), "reason": .string("DeletionByPodGC"),
            "message": .string("PodGC: node no longer exists"), "lastTransitionTime": .string(KubeTime.rfc3339(context.now())),
        ]))
        status["conditions"] = .array(conditions)
        status["phase"] = .string("Failed")
        updated["status"] = .object(status)
        let key = ObjectKey(pod)
        _ = try? await context.api.updateStatus(BuiltinResources.pods, namespace: key.namespace, updated)
    }

    private func forceDelete(_ pod: JSONValue) async {
        let key = ObjectKey(pod)
        context.logger.info("PodGC is force deleting Pod", metadata: ["pod": .string(key.description)])
        _ = try? await context.api.delete(BuiltinResources.pods, namespace: key.namespace, name: key.name,
                                          options: KubeDeleteOptions(gracePeriodSeconds: 0,
                                                                     preconditionUID: pod["metadata"]?["uid"]?.string))
    }
}

/// Which pods a pod GC pass removes: a pure function of the pods, the nodes and the threshold.
struct PodGCPlan {
    /// Pods bound to a node that is not in the node list.
    var orphaned: [JSONValue] = []
    /// Terminating pods that were never bound.
    var unscheduledTerminating: [JSONValue] = []
    /// The oldest terminated pods beyond the threshold.
    var excessTerminated: [JSONValue] = []

    init(pods: [JSONValue], nodes: Set<String>, threshold: Int) {
        var terminated: [JSONValue] = []
        for pod in pods {
            let node = pod["spec"]?["nodeName"]?.string ?? ""
            let deleting = pod["metadata"]?["deletionTimestamp"].map { !$0.isNull } ?? false
            if !node.isEmpty, !nodes.contains(node) {
                orphaned.append(pod)
            } else if node.isEmpty, deleting {
                unscheduledTerminating.append(pod)
            } else if Self.isTerminated(pod) {
                terminated.append(pod)
            }
        }
        if threshold > 0, terminated.count > threshold {
            let oldestFirst = terminated.sorted {
                ($0["metadata"]?["creationTimestamp"]?.string ?? "") < ($1["metadata"]?["creationTimestamp"]?.string ?? "")
            }
            excessTerminated = Array(oldestFirst.prefix(terminated.count - threshold))
        }
    }

    /// Succeeded or Failed.
    static func isTerminated(_ pod: JSONValue) -> Bool {
        ["Succeeded", "Failed"].contains(pod["status"]?["phase"]?.string ?? "")
    }
}
