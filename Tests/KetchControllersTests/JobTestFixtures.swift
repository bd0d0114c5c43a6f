import Foundation
import KetchControllers
import KubeClient
import KubeCore
import KubeTestSupport
import Logging

/// Jobs, pods and a driver of ``JobSync``'s steps for the Job controller's tests.
enum JobFixtures {
    static let uid = "11111111-2222-3333-4444-555555555555"

    /// A UTC instant from RFC 3339 text.
    static func at(_ text: String) -> Date { KubeTime.parse(text)! }

    /// A Job `pi` in `default`; `spec` fields are merged over a minimal template.
    static func job(_ spec: [String: JSONValue] = [:], status: [String: JSONValue]? = nil, name: String = "pi") -> JSONValue {
        var fullSpec: [String: JSONValue] = [
            "template": .object([
                "metadata": .object([:]),
                "spec": .object([
                    "restartPolicy": .string("Never"),
                    "containers": .array([.object(["name": .string("pi"), "image": .string("perl:5.34")])]),
                ]),
            ]),
        ]
        for (key, value) in spec { fullSpec[key] = value }
        var job: [String: JSONValue] = [
            "apiVersion": .string("batch/v1"),
            "kind": .string("Job"),
            "metadata": .object([
                "name": .string(name), "namespace": .string("default"), "uid": .string(uid),
                "creationTimestamp": .string("2025-01-01T00:00:00Z"),
            ]),
            "spec": .object(fullSpec),
        ]
        if let status { job["status"] = .object(status) }
        return .object(job)
    }

    /// A pod of the Job in `phase`; `tracked` keeps the tracking finalizer on it.
    static func pod(_ name: String, phase: String, tracked: Bool = true, ready: Bool = false, index: Int? = nil,
                    deleting: Bool = false, finishedAt: String? = nil, restarts: Int = 0) -> JSONValue {
        var metadata: [String: JSONValue] = [
            "name": .string(name), "namespace": .string("default"), "uid": .string("uid-\(name)"),
            "creationTimestamp": .string("2025-01-01T00:00:00Z"),
            "ownerReferences": .array([.object([
                "apiVersion": .string("batch/v1"), "kind": .string("Job"), "name": .string("pi"),
                "uid": .string(uid), "controller": .bool(true), "blockOwnerDeletion": .bool(true),
            ])]),
        ]
        if tracked { metadata["finalizers"] = .array([.string(JobWellKnown.trackingFinalizer)]) }
        if let index { metadata["annotations"] = .object([JobWellKnown.completionIndexKey: .string(String(index))]) }
        if deleting {
            metadata["deletionTimestamp"] = .string("2025-01-01T00:00:30Z")
            metadata["deletionGracePeriodSeconds"] = .integer(30)
        }
        var status: [String: JSONValue] = [
            "phase": .string(phase),
            "conditions": .array([.object(["type": .string("Ready"), "status": .string(ready ? "True" : "False")])]),
        ]
        if let finishedAt {
            status["containerStatuses"] = .array([.object([
                "name": .string("pi"), "restartCount": .integer(restarts),
                "state": .object(["terminated": .object(["finishedAt": .string(finishedAt)])]),
            ])])
        } else {
            status["containerStatuses"] = .array([.object(["name": .string("pi"), "restartCount": .integer(restarts)])])
        }
        return .object([
            "apiVersion": .string("v1"), "kind": .string("Pod"),
            "metadata": .object(metadata),
            "spec": .object(["nodeName": .string("node-1")]),
            "status": .object(status),
        ])
    }

    /// What one sync did, every API call assumed to succeed.
    struct Result {
        var sync: JobSync
        var actions: JobPodActions
        /// The status writes, in order.
        var writes: [JSONValue]

        /// The Job as last written (or as given, when nothing was written).
        var job: JSONValue { writes.last ?? sync.job }
        var status: JSONValue { job["status"] ?? .object([:]) }
        var conditionTypes: [String] { JobConditions.of(job).compactMap { $0["type"]?.string } }
    }

    /// Runs every step of a sync of `job` over `pods` at `now`.
    static func sync(_ job: JSONValue, pods: [JSONValue] = [], now: Date = at("2025-01-01T00:01:00Z")) -> Result {
        var sync = JobSync(job: job, pods: pods, now: now)
        let actions = sync.plan()
        sync.record(.allSucceeded(actions))
        var writes: [JSONValue] = []
        if let first = sync.track() {
            writes.append(first)
            sync.flushed(first)
        }
        if let last = sync.complete(released: Set(sync.podsToRelease.map(JobPodState.uid))) { writes.append(last) }
        return Result(sync: sync, actions: actions, writes: writes)
    }
}

extension JobFixtures {
    /// A context over `api` whose clock reads `now()`, with informers that are not started.
    /// Events keep the real clock: they are named after it, and a frozen one would reuse names.
    static func context(_ api: any KubeAPI, now: @escaping @Sendable () -> Date) -> ControllerContext {
        let logger = Logger(label: "test")
        return ControllerContext(api: api, informers: InformerFactory(api: api, logger: logger),
                                 events: EventRecorder(api: api, component: "job-controller", host: "test", logger: logger),
                                 logger: logger, clock: now)
    }

    /// The events in `api` once at least `count` exist (waiting up to 20 s: they are sent on a
    /// task of their own), as `reason: message`.
    static func events(_ api: FakeKubeAPI, atLeast count: Int) async -> [String] {
        for _ in 0..<600 {
            let events = await api.objects(BuiltinResources.events)
            if events.count >= count {
                return events.sorted { ($0["metadata"]?["name"]?.string ?? "") < ($1["metadata"]?["name"]?.string ?? "") }
                    .map { "\($0["reason"]?.string ?? ""): \($0["message"]?.string ?? "")" }
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return await api.objects(BuiltinResources.events).map { "\($0["reason"]?.string ?? ""): \($0["message"]?.string ?? "")" }
    }
}

/// A clock tests move by hand.
final class JobTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}
