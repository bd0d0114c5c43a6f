import Foundation
import KubeClient
import KubeCore

extension FakeKubeAPI {
    /// Every stored object of a resource, ordered by namespace and name.
    public func objects(_ type: ResourceType) -> [JSONValue] {
        let resource = Self.resourceKey(type)
        return store.filter { $0.key.resource == resource }
            .sorted { ($0.key.namespace, $0.key.name) < ($1.key.namespace, $1.key.name) }
            .map(\.value)
    }

    /// One stored object, or nil; not recorded as an action.
    public func object(_ type: ResourceType, namespace: String?, name: String) -> JSONValue? {
        store[key(type, namespace, name)]
    }

    /// Stores an object as it is (status included), filling in only what is missing: kind,
    /// uid, creationTimestamp, generation and a fresh resourceVersion. Watches see it as ADDED
    /// (or MODIFIED when it replaces one); ``actions`` does not record it.
    @discardableResult
    public func seed(_ type: ResourceType, _ object: JSONValue) -> JSONValue {
        let key = key(type, object[at: ["metadata", "namespace"]]?.string ?? (type.namespaced ? "default" : nil),
                      object[at: ["metadata", "name"]]?.string ?? "")
        if let previous = store[key] { return replace(type, key, object, previous: previous) }
        var object = object
        object[at: ["metadata", "resourceVersion"]] = nil
        return insert(type, key, object)
    }

    /// Every write served (create, update, patch, delete, subresource posts).
    public var writes: [FakeAction] { actions.filter(\.isWrite) }

    /// Forgets the recorded actions, so a test can look only at what follows.
    public func clearActions() {
        actions.removeAll()
    }

    /// Makes the next request with `verb` (`get`, `list`, `watch`, `create`, `update`, `patch`,
    /// `delete`; subresource posts are `create`) on `resource` throw `error` instead of being
    /// served. Several calls queue several failures.
    public func failNext(verb: String, resource: ResourceType, with error: any Error) {
        failures[verb + " " + Self.resourceKey(resource), default: []].append(error)
    }

    /// Forgets the history up to `revision`, as etcd's compaction does: watches from an older
    /// resourceVersion then get 410 Expired.
    public func compact(upTo revision: Int) {
        compactedRevision = max(compactedRevision, revision)
        log.removeAll { $0.revision <= compactedRevision }
    }

    /// The current resourceVersion (the last one handed out).
    public var currentResourceVersion: String { String(revision) }

    /// Ends every open watch stream, as an apiserver restart does.
    public func closeWatches() {
        for id in Array(watchers.keys) { stopWatch(id) }
    }
}
