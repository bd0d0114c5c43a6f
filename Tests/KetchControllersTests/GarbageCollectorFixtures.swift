import Foundation
@testable import KetchControllers
import KubeClient
import KubeCore
import KubeTestSupport
import Logging

/// Objects and a running control loop over the fake apiserver, for the garbage collector's and
/// the endpoint controllers' tests.
enum GarbageCollectorFixtures {
    /// An object of `kind` with the given metadata parts.
    static func object(_ apiVersion: String, _ kind: String, _ name: String, namespace: String? = "default",
                       uid: String? = nil, owners: [JSONValue] = [], finalizers: [String] = [],
                       deleting: Bool = false, labels: [String: String] = [:]) -> JSONValue {
        var metadata: [String: JSONValue] = ["name": .string(name)]
        if let namespace { metadata["namespace"] = .string(namespace) }
        if let uid { metadata["uid"] = .string(uid) }
        if !owners.isEmpty { metadata["ownerReferences"] = .array(owners) }
        if !finalizers.isEmpty { metadata["finalizers"] = .array(finalizers.map(JSONValue.string)) }
        if deleting { metadata["deletionTimestamp"] = .string("2024-01-01T00:00:00Z") }
        if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues(JSONValue.string)) }
        return .object(["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": .object(metadata)])
    }

    /// An owner reference to `owner`.
    static func reference(to owner: JSONValue, controller: Bool = true, block: Bool = true) -> JSONValue {
        .object([
            "apiVersion": owner["apiVersion"] ?? .null, "kind": owner["kind"] ?? .null,
            "name": owner[path: ["metadata", "name"]] ?? .null, "uid": owner[path: ["metadata", "uid"]] ?? .null,
            "controller": .bool(controller), "blockOwnerDeletion": .bool(block),
        ])
    }

    /// A context over `api` whose informers are started.
    static func context(_ api: FakeKubeAPI) -> ControllerContext {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let informers = InformerFactory(api: api, logger: logger)
        let events = EventRecorder(api: api, component: "kube-controller-manager", host: "test", logger: logger)
        return ControllerContext(api: api, informers: informers, events: events, logger: logger)
    }

    /// Runs `runnables` (and the informers) until `body` returns.
    static func running<T: Sendable>(_ context: ControllerContext, _ runnables: [any Runnable],
                                     _ body: () async throws -> T) async rethrows -> T {
        let tasks = runnables.map { runnable in Task { await runnable.run() } }
        context.informers.start()
        defer {
            for task in tasks { task.cancel() }
            context.informers.stop()
        }
        return try await body()
    }

    /// Polls `condition` until it holds or `timeout` passes; returns whether it held.
    static func eventually(timeout: Duration = .seconds(60), _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
    }
}
