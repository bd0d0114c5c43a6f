import Foundation
import KubeClient
import KubeCore
import Logging
import Synchronization

/// A cache of one resource kept current by list and watch, as client-go's shared informer:
/// list from a consistent read, watch from the list's resourceVersion, relist when the server
/// answers 410 Gone (the version was compacted), re-watch from the last version seen when a
/// watch ends, and hand every change to the registered handlers.
///
/// Reads (`get`, `list`) are synchronous and never touch the network, so reconcilers can look
/// at the world as often as they like.
public final class Informer: Sendable {
    /// The resource cached.
    public let type: ResourceType
    private let api: any KubeAPI
    private let logger: Logger
    private let resync: Duration?
    private let state = Mutex(State())

    private struct State {
        private(set) var objects: [ObjectKey: JSONValue] = [:]
        /// Keys per namespace: reconcilers list one namespace at a time, often per event, and
        /// should not pay for the whole collection (a thousand pods) each time.
        private var keysByNamespace: [String: Set<ObjectKey>] = [:]
        var handlers: [@Sendable (InformerEvent) -> Void] = []
        var synced = false
        var resourceVersion: String?
        var syncWaiters: [CheckedContinuation<Void, Never>] = []

        /// Stores `object` under `key`, returning what it replaces.
        mutating func insert(_ object: JSONValue, at key: ObjectKey) -> JSONValue? {
            keysByNamespace[key.namespace ?? "", default: []].insert(key)
            return objects.updateValue(object, forKey: key)
        }

        /// Drops `key`, returning what it held.
        mutating func remove(_ key: ObjectKey) -> JSONValue? {
            keysByNamespace[key.namespace ?? ""]?.remove(key)
            return objects.removeValue(forKey: key)
        }

        /// Replaces the whole cache.
        mutating func replaceAll(with fresh: [ObjectKey: JSONValue]) {
            objects = fresh
            keysByNamespace = [:]
            for key in fresh.keys { keysByNamespace[key.namespace ?? "", default: []].insert(key) }
        }

        /// The objects of one namespace (nil: all), in key order.
        func list(namespace: String?) -> [JSONValue] {
            guard let namespace else { return objects.sorted { $0.key < $1.key }.map(\.value) }
            return (keysByNamespace[namespace] ?? []).sorted().compactMap { objects[$0] }
        }
    }

    /// An informer of `type`, through `api`; `resync` re-delivers every object as an update
    /// that often (nil: never).
    public init(type: ResourceType, api: any KubeAPI, logger: Logger, resync: Duration? = nil) {
        self.type = type
        self.api = api
        self.logger = logger
        self.resync = resync
    }

    /// Whether the first list has been loaded.
    public var hasSynced: Bool { state.withLock { $0.synced } }

    /// The object with this key, from the cache.
    public func get(_ key: ObjectKey) -> JSONValue? { state.withLock { $0.objects[key] } }

    /// The cached objects of one namespace (nil: all), in key order.
    public func list(namespace: String? = nil) -> [JSONValue] {
        state.withLock { $0.list(namespace: namespace) }
    }

    /// The cached objects whose labels `selector` matches, in one namespace (nil: all).
    public func list(namespace: String?, matching selector: LabelSelector) -> [JSONValue] {
        list(namespace: namespace).filter { selector.matches(Self.labels(of: $0)) }
    }

    /// The number of cached objects.
    public var count: Int { state.withLock { $0.objects.count } }

    /// Registers a handler. One added after the first sync first gets an `added` for every
    /// cached object, as client-go does for late handlers.
    public func addHandler(_ handler: @escaping @Sendable (InformerEvent) -> Void) {
        let replay = state.withLock { s -> [JSONValue] in
            s.handlers.append(handler)
            return s.synced ? s.objects.values.map { $0 } : []
        }
        for object in replay { handler(.added(object)) }
    }

    /// Returns once the first list has been loaded.
    public func waitForSync() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { s -> Bool in
                if s.synced { return true }
                s.syncWaiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Lists and watches until the task is cancelled. Failures (the apiserver restarting,
    /// etcd unavailable) are retried with a back-off of up to 5 s; they never end the loop.
    public func run() async {
        var failures = 0
        var lastResync = ContinuousClock.now
        while !Task.isCancelled {
            do {
                if state.withLock({ $0.resourceVersion }) == nil { try await relist() }
                failures = 0
                try await watchOnce(lastResync: &lastResync)
            } catch is CancellationError {
                return
            } catch let status as KubeStatus where status.code == 410 {
                logger.debug("watch expired; relisting", metadata: ["resource": .string(type.qualifiedName)])
                state.withLock { $0.resourceVersion = nil }
            } catch {
                failures += 1
                if failures > 1 || !(error is KubeStatus) {
                    logger.warning("list/watch failed; retrying", metadata: [
                        "resource": .string(type.qualifiedName), "error": .string("\(error)")])
                }
                state.withLock { $0.resourceVersion = nil }
                let delay = Duration.milliseconds(min(5000, 100 << min(failures, 6)))
                do { try await Task.sleep(for: delay) } catch { return }
            }
        }
    }

    /// Loads the whole collection and turns the difference with the cache into events.
    private func relist() async throws {
        let list = try await api.listAll(type, namespace: nil, options: KubeListOptions(limit: 500))
        var fresh: [ObjectKey: JSONValue] = [:]
        for item in list.items { fresh[ObjectKey(item)] = item }
        var events: [InformerEvent] = []
        let (handlers, waiters) = state.withLock { s -> ([@Sendable (InformerEvent) -> Void], [CheckedContinuation<Void, Never>]) in
            for (key, old) in s.objects where fresh[key] == nil { events.append(.deleted(old)) }
            for (key, new) in fresh.sorted(by: { $0.key < $1.key }) {
                if let old = s.objects[key] {
                    if Self.resourceVersion(old) != Self.resourceVersion(new) { events.append(.updated(old: old, new: new)) }
                } else {
                    events.append(.added(new))
                }
            }
            s.replaceAll(with: fresh)
            s.resourceVersion = list.resourceVersion
            s.synced = true
            let waiters = s.syncWaiters
            s.syncWaiters = []
            return (s.handlers, waiters)
        }
        for event in events { for handler in handlers { handler(event) } }
        for waiter in waiters { waiter.resume() }
    }

    /// One watch from the last version seen, until the server ends it.
    private func watchOnce(lastResync: inout ContinuousClock.Instant) async throws {
        let from = state.withLock { $0.resourceVersion }
        // A server-side timeout keeps a watch from hanging on a half-dead connection forever;
        // client-go picks 5–10 minutes at random, so many informers do not reconnect at once.
        let options = KubeListOptions(resourceVersion: from, timeoutSeconds: Int.random(in: 300...600),
                                      allowWatchBookmarks: true)
        let stream = try await api.watch(type, namespace: nil, options: options)
        for try await event in stream {
            try apply(event)
            if let resync, ContinuousClock.now - lastResync >= resync {
                lastResync = .now
                resyncAll()
            }
        }
    }

    private func apply(_ event: KubeWatchEvent) throws {
        let delivered: InformerEvent
        let handlers: [@Sendable (InformerEvent) -> Void]
        switch event {
        case .error(let status):
            throw status
        case .bookmark(let resourceVersion):
            state.withLock { s in
                if !Self.isOlder(resourceVersion, than: s.resourceVersion) { s.resourceVersion = resourceVersion }
            }
            return
        case .added(let object), .modified(let object):
            let key = ObjectKey(object)
            let stale = state.withLock { s in
                s.objects[key].map { Self.isOlder(Self.resourceVersion(object), than: Self.resourceVersion($0)) } ?? false
            }
            // A watch resumed from an earlier version replays changes the cache already has;
            // going back to them would let a controller act on a state that has passed.
            if stale { return }
            (delivered, handlers) = state.withLock { s in
                let old = s.insert(object, at: key)
                s.resourceVersion = Self.resourceVersion(object) ?? s.resourceVersion
                return (old.map { .updated(old: $0, new: object) } ?? .added(object), s.handlers)
            }
        case .deleted(let object):
            let key = ObjectKey(object)
            (delivered, handlers) = state.withLock { s in
                let old = s.remove(key)
                s.resourceVersion = Self.resourceVersion(object) ?? s.resourceVersion
                return (.deleted(old ?? object), s.handlers)
            }
        }
        for handler in handlers { handler(delivered) }
    }

    private func resyncAll() {
        let (objects, handlers) = state.withLock { ($0.objects.values.map { $0 }, $0.handlers) }
        for object in objects { for handler in handlers { handler(.updated(old: object, new: object)) } }
    }

    /// Whether version `a` is older than `b`. Versions are opaque to clients in general; an
    /// etcd-backed apiserver's are revisions, so numbers compare, and anything else never does.
    static func isOlder(_ a: String?, than b: String?) -> Bool {
        guard let a = a.flatMap({ UInt64($0) }), let b = b.flatMap({ UInt64($0) }) else { return false }
        return a < b
    }

    /// `metadata.resourceVersion`.
    static func resourceVersion(_ object: JSONValue) -> String? { object["metadata"]?["resourceVersion"]?.string }

    /// `metadata.labels` as a dictionary.
    public static func labels(of object: JSONValue) -> [String: String] {
        (object["metadata"]?["labels"]?.object ?? [:]).compactMapValues(\.string)
    }
}
