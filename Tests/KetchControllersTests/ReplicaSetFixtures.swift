import Foundation
@testable import KetchControllers
import KubeClient
import KubeCore
import KubeTestSupport
import Logging

/// ReplicaSets and pods for the ReplicaSet controller's tests.
enum ReplicaSetFixtures {
    static let rsUID = "aaaaaaaa-0000-0000-0000-000000000001"
    static let now = KubeTime.parse("2025-01-01T12:00:00Z")!

    /// A UTC instant from RFC 3339 text.
    static func at(_ text: String) -> Date { KubeTime.parse(text)! }

    /// The ReplicaSet `web-abc` in `default` selecting `app=web`.
    static func replicaSet(replicas: Int = 3, minReadySeconds: Int = 0, status: [String: JSONValue]? = nil,
                           owner: JSONValue? = nil, generation: Int = 1) -> JSONValue {
        var metadata: [String: JSONValue] = [
            "name": .string("web-abc"), "namespace": .string("default"), "uid": .string(rsUID),
            "generation": .integer(generation), "resourceVersion": .string("10"),
            "creationTimestamp": .string("2025-01-01T00:00:00Z"),
        ]
        if let owner { metadata["ownerReferences"] = .array([owner]) }
        var spec: [String: JSONValue] = [
            "replicas": .integer(replicas),
            "selector": .object(["matchLabels": .object(["app": .string("web")])]),
            "template": .object([
                "metadata": .object(["labels": .object(["app": .string("web"), "tier": .string("front")])]),
                "spec": .object(["containers": .array([.object(["name": .string("nginx"), "image": .string("nginx")])])]),
            ]),
        ]
        if minReadySeconds > 0 { spec["minReadySeconds"] = .integer(minReadySeconds) }
        var rs: [String: JSONValue] = [
            "apiVersion": .string("apps/v1"), "kind": .string("ReplicaSet"),
            "metadata": .object(metadata), "spec": .object(spec),
        ]
        if let status { rs["status"] = .object(status) }
        return .object(rs)
    }

    /// A controller reference to `web-abc`.
    static var controllerRef: JSONValue {
        .object(["apiVersion": .string("apps/v1"), "kind": .string("ReplicaSet"), "name": .string("web-abc"),
                 "uid": .string(rsUID), "controller": .bool(true), "blockOwnerDeletion": .bool(true)])
    }

    /// A pod `name`; `owned` gives it web-abc's controller reference.
    static func pod(_ name: String, node: String = "n1", phase: String = "Running", ready: Bool = true,
                    readySince: String = "2025-01-01T11:00:00Z", created: String = "2025-01-01T10:00:00Z",
                    labels: [String: String] = ["app": "web", "tier": "front"], owned: Bool = true,
                    restarts: Int = 0, deletionCost: Int? = nil, deleting: Bool = false) -> JSONValue {
        var metadata: [String: JSONValue] = [
            "name": .string(name), "namespace": .string("default"), "uid": .string("uid-\(name)"),
            "creationTimestamp": .string(created), "labels": .object(labels.mapValues(JSONValue.string)),
        ]
        if owned { metadata["ownerReferences"] = .array([controllerRef]) }
        if let deletionCost {
            metadata["annotations"] = .object([PodDeletionOrder.deletionCostAnnotation: .string(String(deletionCost))])
        }
        if deleting { metadata["deletionTimestamp"] = .string("2025-01-01T11:59:00Z") }
        var spec: [String: JSONValue] = ["containers": .array([.object(["name": .string("nginx")])])]
        if !node.isEmpty { spec["nodeName"] = .string(node) }
        let status: [String: JSONValue] = [
            "phase": .string(phase),
            "conditions": .array([.object([
                "type": .string("Ready"), "status": .string(ready ? "True" : "False"),
                "lastTransitionTime": .string(readySince),
            ])]),
            "containerStatuses": .array([.object(["name": .string("nginx"), "restartCount": .integer(restarts)])]),
        ]
        return .object(["apiVersion": .string("v1"), "kind": .string("Pod"), "metadata": .object(metadata),
                        "spec": .object(spec), "status": .object(status)])
    }

    /// The names of `pods`, in order.
    static func names(_ pods: [JSONValue]) -> [String] { pods.map { $0[path: ["metadata", "name"]]?.string ?? "" } }
}

/// A counter shared by concurrent calls.
actor ReplicaSetTestCounter {
    private(set) var value = 0
    /// Increments and returns the new value.
    func next() -> Int {
        value += 1
        return value
    }
}

/// A settable clock.
final class ReplicaSetTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var time: Date
    init(_ time: Date) { self.time = time }
    var now: Date {
        get { lock.withLock { time } }
        set { lock.withLock { time = newValue } }
    }
}

extension ReplicaSetFixtures {
    /// A context over `api` reporting as `component`, with informers not yet started.
    static func context(_ api: any KubeAPI, component: String = "replicaset-controller") -> ControllerContext {
        let logger = Logger(label: "test")
        return ControllerContext(api: api, informers: InformerFactory(api: api, logger: logger),
                                 events: EventRecorder(api: api, component: component, host: "test", logger: logger), logger: logger)
    }

    /// Starts the context's informers (those asked for so far) and waits for their first list.
    static func startInformers(_ context: ControllerContext, _ types: [ResourceType]) async {
        for type in types { _ = context.informer(type) }
        context.informers.start()
        await context.informers.waitForSync()
    }

    /// Whether `condition` holds within 30 s (events and watches arrive on tasks of their own).
    static func eventually(_ condition: () async -> Bool) async -> Bool {
        for _ in 0..<300 {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// The events stored in `api`, as `reason: message`, sorted.
    static func events(_ api: FakeKubeAPI) async -> [String] {
        await api.objects(BuiltinResources.events).map { "\($0["reason"]?.string ?? ""): \($0["message"]?.string ?? "")" }.sorted()
    }

    /// The writes `api` served on `resource` with `verb`.
    static func writes(_ api: FakeKubeAPI, _ verb: String, _ resource: ResourceType) async -> [FakeAction] {
        await api.writes.filter { $0.verb == verb && $0.resource == resource.plural }
    }
}
