import Foundation
import KubeClient
import KubeCore
import Logging
import Synchronization

/// Writes core/v1 Events about objects, as client-go's event recorder with its correlator: the
/// same reason and message about the same object within ten minutes bumps `count` and
/// `lastTimestamp` of the existing Event instead of making another.
///
/// Recording never blocks a reconcile and never fails it: events go out in order on a task of
/// their own, and one the apiserver refuses is logged and dropped, as upstream drops them.
public final class EventRecorder: Sendable {
    private let api: any KubeAPI
    private let component: String
    private let host: String
    private let logger: Logger
    private let clock: @Sendable () -> Date
    private let queue: AsyncStream<Pending>.Continuation
    private let lastNanos = Mutex<UInt64>(0)

    fileprivate struct Pending: Sendable {
        var event: JSONValue
        var correlation: String
    }

    /// A recorder reporting as `component` on `host`, at most at `rateLimit` (nil: unlimited).
    public init(api: any KubeAPI, component: String, host: String, logger: Logger,
                clock: @escaping @Sendable () -> Date = { Date() }, rateLimit: EventRateLimit? = nil) {
        self.api = api
        self.component = component
        self.host = host
        self.logger = logger
        self.clock = clock
        let (stream, continuation) = AsyncStream.makeStream(of: Pending.self)
        self.queue = continuation
        let sink = EventSink(api: api, logger: logger)
        Task {
            var bucket = rateLimit.map { EventRateLimit.Bucket(limit: $0, now: .now) }
            for await pending in stream {
                if let wait = bucket?.take(now: .now), wait > .zero { try? await Task.sleep(for: wait) }
                await sink.send(pending.event, correlation: pending.correlation)
            }
        }
    }

    deinit {
        queue.finish()
    }

    /// Records an event about `object`: `type` is `Normal` or `Warning`; `reason` is the
    /// CamelCase reason upstream uses (`SuccessfulCreate`, `FailedScheduling`); `fieldPath` names
    /// a part of the object, as the kubelet names a container (`spec.containers{nginx}`).
    public func record(_ object: JSONValue, type: String, reason: String, message: String, fieldPath: String? = nil) {
        guard let name = object["metadata"]?["name"]?.string else { return }
        let namespace = object["metadata"]?["namespace"]?.string ?? "default"
        let now = clock()
        var involved: [String: JSONValue] = [
            "kind": object["kind"] ?? .string(""),
            "name": .string(name),
            "apiVersion": object["apiVersion"] ?? .string(""),
        ]
        if let ns = object["metadata"]?["namespace"] { involved["namespace"] = ns }
        if let uid = object["metadata"]?["uid"] { involved["uid"] = uid }
        if let rv = object["metadata"]?["resourceVersion"] { involved["resourceVersion"] = rv }
        if let fieldPath, !fieldPath.isEmpty { involved["fieldPath"] = .string(fieldPath) }
        let stamp = KubeTime.rfc3339(now)
        // client-go names events `<object>.<hex of UnixNano>`; kept strictly increasing so two
        // events in one clock tick (or under a frozen test clock) never share a name.
        let nanos = lastNanos.withLock { last -> UInt64 in
            last = max(last + 1, UInt64(max(0, now.timeIntervalSince1970 * 1e9)))
            return last
        }
        let suffix = String(nanos, radix: 16)
        let event: JSONValue = .object([
            "apiVersion": .string("v1"),
            "kind": .string("Event"),
            "metadata": .object(["name": .string("\(name).\(suffix)"), "namespace": .string(namespace)]),
            "involvedObject": .object(involved),
            "reason": .string(reason),
            "message": .string(message),
            "type": .string(type),
            "source": .object(["component": .string(component), "host": .string(host)]),
            "firstTimestamp": .string(stamp),
            "lastTimestamp": .string(stamp),
            "count": .integer(1),
            "eventTime": .null,
            "reportingComponent": .string(component),
            "reportingInstance": .string(host),
        ])
        let correlation = [namespace, object["metadata"]?["uid"]?.string ?? name, fieldPath ?? "", type, reason, message]
            .joined(separator: "\u{0}")
        queue.yield(Pending(event: event, correlation: correlation))
    }

}

/// Sends events one at a time and remembers recent ones, so a repeat bumps the count of the
/// Event already written (client-go's EventCorrelator, reduced to its aggregation by key).
private actor EventSink {
    private struct Recent {
        var namespace: String
        var name: String
        var count: Int
        var first: Date
    }
    private let api: any KubeAPI
    private let logger: Logger
    private var recent: [String: Recent] = [:]

    init(api: any KubeAPI, logger: Logger) {
        self.api = api
        self.logger = logger
    }

    func send(_ event: JSONValue, correlation: String) async {
        let events = BuiltinResources.events
        let namespace = event["metadata"]?["namespace"]?.string ?? "default"
        let now = Date()
        if let seen = recent[correlation], now.timeIntervalSince(seen.first) < 600 {
            let patch: JSONValue = .object(["count": .integer(seen.count + 1), "lastTimestamp": event["lastTimestamp"] ?? .null])
            do {
                _ = try await api.patch(events, namespace: seen.namespace, name: seen.name, patch, kind: .merge, subresource: nil)
                recent[correlation]?.count = seen.count + 1
                return
            } catch {
                // Gone (events expire) or refused: write a fresh one below.
            }
        }
        do {
            let created = try await api.create(events, namespace: namespace, event)
            let name = created["metadata"]?["name"]?.string ?? event["metadata"]?["name"]?.string ?? ""
            if recent.count > 4096 { recent = recent.filter { now.timeIntervalSince($0.value.first) < 600 } }
            recent[correlation] = Recent(namespace: namespace, name: name, count: 1, first: now)
        } catch {
            logger.debug("event dropped", metadata: ["error": .string("\(error)")])
        }
    }
}
