import Foundation
import KubeClient
import KubeCore

extension Scheduler {
    /// The Binding object kube-scheduler's DefaultBinder posts to `pods/<name>/binding`.
    public static func binding(for pod: JSONValue, node: String) -> JSONValue {
        var metadata: [String: JSONValue] = [
            "name": pod["metadata"]?["name"] ?? .string(""),
            "namespace": pod["metadata"]?["namespace"] ?? .string("default"),
        ]
        if let uid = pod["metadata"]?["uid"] { metadata["uid"] = uid }
        return .object([
            "apiVersion": .string("v1"),
            "kind": .string("Binding"),
            "metadata": .object(metadata),
            "target": .object(["apiVersion": .string("v1"), "kind": .string("Node"), "name": .string(node)]),
        ])
    }

    /// The strategic merge patch that sets PodScheduled=False, reason Unschedulable, with
    /// `message`; nil when the pod already says exactly that (no write, no watch event).
    /// The transition time moves only when the condition's status changes, as upstream's
    /// `UpdatePodCondition` keeps it.
    public static func unschedulableConditionPatch(_ pod: JSONValue, message: String, now: Date) -> JSONValue? {
        let existing = (pod["status"]?["conditions"]?.array ?? []).first { $0["type"]?.string == "PodScheduled" }
        if let existing, existing["status"]?.string == "False", existing["reason"]?.string == "Unschedulable",
           existing["message"]?.string == message {
            return nil
        }
        let since = existing?["status"]?.string == "False" ? existing?["lastTransitionTime"] : nil
        let condition: JSONValue = .object([
            "type": .string("PodScheduled"),
            "status": .string("False"),
            "reason": .string("Unschedulable"),
            "message": .string(message),
            "lastProbeTime": .null,
            "lastTransitionTime": since ?? .string(KubeTime.rfc3339(now)),
        ])
        return .object(["status": .object(["conditions": .array([condition])])])
    }

    /// Posts the binding of an assumed pod; on success records `Scheduled`, on failure drops
    /// the assumption and retries the pod after its back-off (unless it is gone or was bound
    /// meanwhile, which the informer will show).
    func bind(_ pod: JSONValue, to node: String) async {
        let key = ObjectKey(pod)
        do {
            try await context.api.createSubresource(BuiltinResources.pods, namespace: key.namespace, name: key.name,
                                                    subresource: "binding", Self.binding(for: pod, node: node))
            cache.finishBinding(key, now: context.now())
            context.events.record(pod, type: "Normal", reason: "Scheduled",
                                  message: "Successfully assigned \(key.namespace ?? "default")/\(key.name) to \(node)")
        } catch let status as KubeStatus where status.code == 404 || status.code == 409 {
            // Deleted, being deleted, or already bound: nothing to retry.
            cache.forget(key)
            queue.remove(key)
        } catch {
            cache.forget(key)
            queue.backOff(key, priority: pod["spec"]?["priority"]?.int ?? 0, now: context.now())
            context.logger.debug("binding failed; will retry", metadata: ["pod": .string(key.description), "error": .string("\(error)")])
            context.events.record(pod, type: "Warning", reason: "FailedScheduling",
                                  message: "Binding rejected: running Bind plugin \"DefaultBinder\": \(error)")
        }
    }

    /// Writes the PodScheduled=False condition through the status subresource.
    func reportUnschedulable(_ pod: JSONValue, patch: JSONValue) async {
        let key = ObjectKey(pod)
        do {
            _ = try await context.api.patch(BuiltinResources.pods, namespace: key.namespace, name: key.name, patch,
                                            kind: .strategicMerge, subresource: "status")
        } catch {
            // The pod is retried anyway; the next failure writes the condition again.
            context.logger.debug("pod condition not written", metadata: ["pod": .string(key.description), "error": .string("\(error)")])
        }
    }
}
