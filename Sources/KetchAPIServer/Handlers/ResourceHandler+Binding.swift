import Foundation
import Hummingbird
import KubeCore

/// `pods/binding` and the legacy `bindings` resource: how the scheduler assigns a pod to a
/// node (`BindingREST` in kube-apiserver's pod storage).
extension ResourceHandler {
    /// POST of a Binding, to `pods/{name}/binding` (`podName` set: it must be the Binding's
    /// name) or to `bindings` (the Binding names the pod). 201 with a Success Status.
    func bind(namespace: String, podName: String?, query: RequestQuery, body: [UInt8], contentType: String?) async throws -> Response {
        let type = BuiltinResources.bindings
        let binding = try RequestBodyDecoder.object(body, contentType: contentType, expect: type)
        try checkTypeMeta(binding, type)
        let meta = binding["metadata"]
        if let bodyNamespace = meta?["namespace"]?.string, !bodyNamespace.isEmpty, bodyNamespace != namespace {
            throw KubeStatus.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let name = meta?["name"]?.string ?? ""
        if let podName, podName != name {
            throw KubeStatus.badRequest("name in URL does not match name in Binding object")
        }
        if name.isEmpty { throw KubeStatus.badRequest("Name parameter required.") }
        let node = try Self.validatedTarget(binding)
        let annotations = (meta?["annotations"]?.object ?? [:]).compactMapValues(\.string)
        try await assignPod(namespace: namespace, name: name, node: node, annotations: annotations,
                            uid: Self.nonEmpty(meta?["uid"]?.string), resourceVersion: Self.nonEmpty(meta?["resourceVersion"]?.string),
                            dryRun: query["dryRun"] == "All")
        let status: JSONValue = .object([
            "kind": .string("Status"), "apiVersion": .string("v1"), "metadata": .object([:]),
            "status": .string("Success"), "code": .integer(201),
        ])
        return KubeResponses.json(status, status: .created)
    }

    /// `ValidatePodBinding`: the target is a Node and has a name. Its errors are not API
    /// statuses, so kube-apiserver answers them as a 500 with no reason.
    static func validatedTarget(_ binding: JSONValue) throws -> String {
        var errors: [String] = []
        let kind = binding["target"]?["kind"]?.string ?? ""
        if !kind.isEmpty, kind != "Node" {
            errors.append("target.kind: Unsupported value: \(goQuoted(kind)): supported values: \"Node\", \"<empty>\"")
        }
        let node = binding["target"]?["name"]?.string ?? ""
        if node.isEmpty { errors.append("target.name: Required value") }
        guard errors.isEmpty else {
            throw KubeStatus(code: 500, reason: "", message: errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]")
        }
        return node
    }

    /// `setPodNodeAndMetadata`: sets `spec.nodeName`, merges the annotations and sets the
    /// PodScheduled condition, by compare-and-swap on the stored pod, only while the pod is on no
    /// node, not being deleted and not gated.
    func assignPod(namespace: String, name: String, node: String, annotations: [String: String],
                   uid: String?, resourceVersion: String?, dryRun: Bool, now: Date = Date()) async throws {
        let pods = BuiltinResources.pods
        func refused(_ why: String) -> KubeStatus {
            KubeStatus(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on pods/binding \(goQuoted(name)): \(why)",
                       details: .object(["name": .string(name), "kind": .string("pods/binding")]))
        }
        for _ in 0..<16 {
            guard var pod = try await store.get(pods, namespace: namespace, name: name) else {
                throw KubeStatus.notFound(pods, name: name)
            }
            try DeletionRules.checkStoragePreconditions(pod, pods, uid: uid, resourceVersion: resourceVersion)
            if DeletionRules.isDeleting(pod) {
                throw refused("pod \(name) is being deleted, cannot be assigned to a host")
            }
            let current = pod["spec"]?["nodeName"]?.string ?? ""
            if !current.isEmpty {
                throw refused("pod \(name) is already assigned to node \(goQuoted(current))")
            }
            if !(pod["spec"]?["schedulingGates"]?.array ?? []).isEmpty {
                throw refused("pod \(name) has non-empty .spec.schedulingGates")
            }
            pod = Self.bound(pod, to: node, annotations: annotations, now: now)
            if dryRun { return }
            do {
                _ = try await store.update(pods, pod)
                return
            } catch let status as KubeStatus where status.reason == "Conflict" && resourceVersion == nil {
                continue
            }
        }
        throw KubeStatus.conflict(pods, name: name)
    }

    /// The pod on `node`: nodeName, the Binding's annotations and PodScheduled True, as
    /// `podutil.UpdatePodCondition` writes it (the transition time kept if it was True already).
    static func bound(_ pod: JSONValue, to node: String, annotations: [String: String], now: Date) -> JSONValue {
        var pod = pod
        var spec = pod["spec"] ?? .object([:])
        spec["nodeName"] = .string(node)
        pod["spec"] = spec
        var meta = pod["metadata"] ?? .object([:])
        var merged = meta["annotations"]?.object ?? [:]
        for (key, value) in annotations { merged[key] = .string(value) }
        meta["annotations"] = .object(merged)
        pod["metadata"] = meta
        var status = pod["status"] ?? .object([:])
        var conditions = status["conditions"]?.array ?? []
        var condition: JSONValue = .object([
            "type": .string("PodScheduled"), "status": .string("True"),
            "lastProbeTime": .null, "lastTransitionTime": .string(KubeTime.rfc3339(now)),
        ])
        if let index = conditions.firstIndex(where: { $0["type"]?.string == "PodScheduled" }) {
            if conditions[index]["status"]?.string == "True", let since = conditions[index]["lastTransitionTime"] {
                condition["lastTransitionTime"] = since
            }
            conditions[index] = condition
        } else {
            conditions.append(condition)
        }
        status["conditions"] = .array(conditions)
        pod["status"] = status
        return pod
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
