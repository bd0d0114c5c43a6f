import Foundation
import KubeClient
import KubeCore

/// An in-memory kube-apiserver for controllers' unit tests: objects per resource, namespace and
/// name, with the bookkeeping the real server does (uid, creationTimestamp, one global
/// resourceVersion counter, generation, generateName, optimistic concurrency, finalizers and
/// graceful deletion, the status subresource, pod binding) and watches replayed from an event
/// log. Errors are the ``KubeStatus`` values kube-apiserver answers with.
///
/// Tests read what happened through ``actions``, arrange state with ``seed(_:_:)`` and inject
/// failures with ``failNext(verb:resource:with:)``.
public actor FakeKubeAPI: KubeAPI {
    /// Where one object is stored.
    struct StoreKey: Hashable {
        var resource: String
        var namespace: String
        var name: String
    }

    var store: [StoreKey: JSONValue] = [:]
    /// The last resourceVersion handed out.
    var revision = 0
    /// Every change so far (from `compactedRevision` on), for watches that start in the past.
    var log: [FakeWatchRecord] = []
    /// Watches from before this revision answer 410 Expired.
    var compactedRevision = 0
    var watchers: [UUID: (filter: FakeWatchFilter, continuation: AsyncThrowingStream<KubeWatchEvent, any Error>.Continuation)] = [:]
    var failures: [String: [any Error]] = [:]
    /// Every request served, in order.
    public internal(set) var actions: [FakeAction] = []
    /// The clock behind timestamps and lease expiry.
    let now: @Sendable () -> Date

    /// An empty apiserver whose timestamps come from `now`.
    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    // MARK: KubeAPI

    public func get(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue {
        try served("get", type, namespace, name)
        guard let object = store[key(type, namespace, name)] else { throw KubeStatus.notFound(type, name: name) }
        return object
    }

    public func list(_ type: ResourceType, namespace: String?, options: KubeListOptions) async throws -> KubeList {
        try served("list", type, namespace, nil)
        let (labels, fields) = try FakeObjectRules.selectors(options)
        let resource = Self.resourceKey(type)
        var selected = store.filter { key, object in
            key.resource == resource && (namespace == nil || !type.namespaced || key.namespace == namespace)
                && FakeObjectRules.matches(object, labels: labels, fields: fields)
        }.sorted { ($0.key.namespace, $0.key.name) < ($1.key.namespace, $1.key.name) }
        if let token = options.continueToken, !token.isEmpty {
            selected.removeAll { "\($0.key.namespace)/\($0.key.name)" <= token }
        }
        var continueToken: String?
        if let limit = options.limit, limit > 0, selected.count > limit {
            selected = Array(selected.prefix(limit))
            continueToken = selected.last.map { "\($0.key.namespace)/\($0.key.name)" }
        }
        return KubeList(items: selected.map(\.value), resourceVersion: String(revision), continueToken: continueToken)
    }

    public func create(_ type: ResourceType, namespace: String?, _ object: JSONValue) async throws -> JSONValue {
        var object = object
        var name = object[at: ["metadata", "name"]]?.string ?? ""
        if name.isEmpty, let prefix = object[at: ["metadata", "generateName"]]?.string, !prefix.isEmpty {
            name = FakeObjectRules.generatedName(prefix)
            object[at: ["metadata", "name"]] = .string(name)
        }
        try served("create", type, namespace ?? object[at: ["metadata", "namespace"]]?.string, name.isEmpty ? nil : name)
        guard !name.isEmpty else {
            throw KubeStatus.invalid(type, name: "", causes: [.init(reason: "FieldValueRequired",
                message: "Required value: name or generateName is required", field: "metadata.name")])
        }
        if let rv = object[at: ["metadata", "resourceVersion"]]?.string, !rv.isEmpty {
            throw KubeStatus.internalError("resourceVersion should not be set on objects to be created")
        }
        let key = key(type, namespace ?? object[at: ["metadata", "namespace"]]?.string ?? "default", name)
        guard store[key] == nil else { throw KubeStatus.alreadyExists(type, name: name) }
        object["status"] = FakeObjectRules.statusOnCreate(type, object)
        if type == BuiltinResources.namespaces, object[at: ["spec", "finalizers"]] == nil {
            object[at: ["spec", "finalizers"]] = .array([.string("kubernetes")])
        }
        return insert(type, key, object)
    }

    public func update(_ type: ResourceType, namespace: String?, _ object: JSONValue, subresource: String?) async throws -> JSONValue {
        let name = object[at: ["metadata", "name"]]?.string ?? ""
        let namespace = namespace ?? object[at: ["metadata", "namespace"]]?.string
        try served("update", type, namespace, name, subresource: subresource)
        return try performUpdate(type, key(type, namespace, name), object, subresource: subresource)
    }

    /// An update after its request has been recorded; patches end here too.
    private func performUpdate(_ type: ResourceType, _ key: StoreKey, _ object: JSONValue, subresource: String?) throws -> JSONValue {
        let name = key.name
        guard let existing = store[key] else { throw KubeStatus.notFound(type, name: name) }
        try checkPreconditions(type, existing, object)
        var updated: JSONValue
        switch subresource {
        case "status":
            // Status updates ignore everything else, metadata included (ResetObjectMetaForStatus).
            updated = existing
            updated["status"] = object["status"]
        case "finalize" where type == BuiltinResources.namespaces:
            updated = existing
            updated[at: ["spec", "finalizers"]] = object[at: ["spec", "finalizers"]]
        case nil:
            updated = object
            // Server-owned metadata survives whatever the client sent.
            for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
                updated[at: ["metadata", field]] = existing[at: ["metadata", field]]
            }
            if type.subresources.contains("status") { updated["status"] = existing["status"] }
            if FakeObjectRules.changesGeneration(type, old: existing, new: updated) {
                updated[at: ["metadata", "generation"]] = .integer((existing[at: ["metadata", "generation"]]?.int ?? 0) + 1)
            }
        default:
            throw KubeStatus.pathNotFound("\(type.plural)/\(name)/\(subresource ?? "")")
        }
        return replace(type, key, updated, previous: existing)
    }

    public func patch(_ type: ResourceType, namespace: String?, name: String, _ patch: JSONValue,
                      kind: KubePatchKind, subresource: String?) async throws -> JSONValue {
        try served("patch", type, namespace, name, subresource: subresource)
        let key = key(type, namespace, name)
        guard let existing = store[key] else { throw KubeStatus.notFound(type, name: name) }
        var patched: JSONValue
        do {
            switch kind {
            case .merge: patched = MergePatch.apply(patch, to: existing)
            case .strategicMerge: patched = try StrategicMergePatch.apply(patch, to: existing)
            case .json: patched = try JSONPatch.apply(patch, to: existing)
            }
        } catch {
            throw KubeStatus(code: error.code, reason: error.code == 422 ? "Invalid" : "BadRequest", message: error.message)
        }
        return try performUpdate(type, key, patched, subresource: subresource)
    }

    @discardableResult
    public func delete(_ type: ResourceType, namespace: String?, name: String, options: KubeDeleteOptions) async throws -> JSONValue {
        try served("delete", type, namespace, name)
        return try performDelete(type, key(type, namespace, name), options: options)
    }

    /// A delete after its request has been recorded; evictions end here too.
    private func performDelete(_ type: ResourceType, _ key: StoreKey, options: KubeDeleteOptions) throws -> JSONValue {
        let name = key.name
        guard var object = store[key] else { throw KubeStatus.notFound(type, name: name) }
        let uid = object[at: ["metadata", "uid"]]?.string ?? ""
        if let wanted = options.preconditionUID, wanted != uid {
            throw KubeStatus.conflict(type, name: name, why: "Precondition failed: UID in precondition: \(wanted), UID in object meta: \(uid)")
        }
        let rv = object[at: ["metadata", "resourceVersion"]]?.string ?? ""
        if let wanted = options.preconditionResourceVersion, wanted != rv {
            throw KubeStatus.conflict(type, name: name, why: "Precondition failed: ResourceVersion in precondition: \(wanted), ResourceVersion in object meta: \(rv)")
        }
        let previous = object
        let finalizers = FakeObjectRules.finalizersForDeletion(
            (object[at: ["metadata", "finalizers"]]?.array ?? []).compactMap(\.string), policy: options.propagationPolicy)
        object[at: ["metadata", "finalizers"]] = finalizers.isEmpty ? nil : .array(finalizers.map(JSONValue.string))
        let grace = FakeObjectRules.gracePeriod(type, object, requested: options.gracePeriodSeconds)
        let current = object[at: ["metadata", "deletionGracePeriodSeconds"]]?.int
        if object[at: ["metadata", "deletionTimestamp"]] == nil || grace < (current ?? Int.max) {
            object[at: ["metadata", "deletionTimestamp"]] = .string(KubeTime.rfc3339(now().addingTimeInterval(TimeInterval(grace))))
            object[at: ["metadata", "deletionGracePeriodSeconds"]] = .integer(grace)
            if previous[at: ["metadata", "deletionTimestamp"]] == nil, let generation = object[at: ["metadata", "generation"]]?.int {
                object[at: ["metadata", "generation"]] = .integer(generation + 1)
            }
        }
        if type == BuiltinResources.namespaces { object[at: ["status", "phase"]] = .string("Terminating") }
        if FakeObjectRules.isReadyToRemove(type, object) { return remove(type, key, object) }
        return object == previous ? object : replace(type, key, object, previous: previous)
    }

    @discardableResult
    public func createSubresource(_ type: ResourceType, namespace: String?, name: String, subresource: String,
                                  _ body: JSONValue) async throws -> JSONValue {
        switch (type, subresource) {
        case (BuiltinResources.pods, "binding"):
            try served("create", type, namespace, name, subresource: subresource)
            return try bind(key(type, namespace, name), body)
        case (BuiltinResources.pods, "eviction"):
            try served("create", type, namespace, name, subresource: subresource)
            let options = body["deleteOptions"]
            _ = try performDelete(type, key(type, namespace, name), options: KubeDeleteOptions(
                gracePeriodSeconds: options?["gracePeriodSeconds"]?.int, preconditionUID: options?[at: ["preconditions", "uid"]]?.string))
            return Self.success(201)
        default:
            throw KubeStatus.pathNotFound("\(type.plural)/\(name)/\(subresource)")
        }
    }

    /// `pods/binding`, as the pod registry's `setPodHostAndAnnotations`: one bind per pod,
    /// annotations copied, PodScheduled=True.
    private func bind(_ key: StoreKey, _ body: JSONValue) throws -> JSONValue {
        let pods = BuiltinResources.pods
        guard var pod = store[key] else { throw KubeStatus.notFound(pods, name: key.name) }
        let bindingResource = ResourceType(group: "", version: "v1", kind: "Binding", plural: "pods/binding", namespaced: true)
        if pod[at: ["metadata", "deletionTimestamp"]] != nil {
            throw KubeStatus.conflict(bindingResource, name: key.name, why: "pod \(key.name) is being deleted, cannot be assigned to a host")
        }
        if let node = pod[at: ["spec", "nodeName"]]?.string, !node.isEmpty {
            throw KubeStatus.conflict(bindingResource, name: key.name, why: "pod \(key.name) is already assigned to node \"\(node)\"")
        }
        let previous = pod
        pod[at: ["spec", "nodeName"]] = body[at: ["target", "name"]] ?? .string("")
        for (k, v) in body[at: ["metadata", "annotations"]]?.object ?? [:] {
            if pod[at: ["metadata", "annotations"]] == nil { pod[at: ["metadata", "annotations"]] = .object([:]) }
            pod[at: ["metadata", "annotations", k]] = v
        }
        var conditions = pod[at: ["status", "conditions"]]?.array ?? []
        let scheduled: JSONValue = .object(["type": .string("PodScheduled"), "status": .string("True"),
                                            "lastProbeTime": .null,
                                            "lastTransitionTime": .string(KubeTime.rfc3339(now()))])
        if let i = conditions.firstIndex(where: { $0["type"]?.string == "PodScheduled" }) {
            if conditions[i]["status"]?.string != "True" { conditions[i] = scheduled }
        } else {
            conditions.append(scheduled)
        }
        if pod["status"] == nil { pod["status"] = .object([:]) }
        pod[at: ["status", "conditions"]] = .array(conditions)
        _ = replace(pods, key, pod, previous: previous)
        return Self.success(201)
    }

    /// A `Status` of success, what the server answers for bindings and evictions.
    static func success(_ code: Int) -> JSONValue {
        .object(["kind": .string("Status"), "apiVersion": .string("v1"), "metadata": .object([:]),
                 "status": .string("Success"), "code": .integer(code)])
    }

    // MARK: Storage

    static func resourceKey(_ type: ResourceType) -> String { type.group + "/" + type.plural }

    func key(_ type: ResourceType, _ namespace: String?, _ name: String) -> StoreKey {
        StoreKey(resource: Self.resourceKey(type), namespace: type.namespaced ? (namespace ?? "") : "", name: name)
    }

    /// Records the request, or throws the failure a test queued for it.
    func served(_ verb: String, _ type: ResourceType, _ namespace: String?, _ name: String?, subresource: String? = nil) throws {
        actions.append(FakeAction(verb: verb, resource: type.plural, namespace: type.namespaced ? namespace : nil,
                                  name: name, subresource: subresource))
        let failureKey = verb + " " + Self.resourceKey(type)
        if var queued = failures[failureKey], !queued.isEmpty {
            let error = queued.removeFirst()
            failures[failureKey] = queued
            throw error
        }
    }

    /// 409 when the client's resourceVersion or uid names another version of the object.
    private func checkPreconditions(_ type: ResourceType, _ existing: JSONValue, _ object: JSONValue) throws {
        let name = existing[at: ["metadata", "name"]]?.string ?? ""
        if let rv = object[at: ["metadata", "resourceVersion"]]?.string, !rv.isEmpty,
           rv != existing[at: ["metadata", "resourceVersion"]]?.string {
            throw KubeStatus.conflict(type, name: name)
        }
        let uid = existing[at: ["metadata", "uid"]]?.string ?? ""
        if let wanted = object[at: ["metadata", "uid"]]?.string, !wanted.isEmpty, wanted != uid {
            throw KubeStatus.conflict(type, name: name, why: "Precondition failed: UID in precondition: \(wanted), UID in object meta: \(uid)")
        }
    }

    /// Stores a new object with the metadata the server assigns.
    func insert(_ type: ResourceType, _ key: StoreKey, _ object: JSONValue) -> JSONValue {
        var object = object
        revision += 1
        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        if object["metadata"]?.object == nil { object["metadata"] = .object([:]) }
        object[at: ["metadata", "name"]] = .string(key.name)
        object[at: ["metadata", "namespace"]] = type.namespaced ? .string(key.namespace) : nil
        if (object[at: ["metadata", "uid"]]?.string ?? "").isEmpty {
            object[at: ["metadata", "uid"]] = .string(UUID().uuidString.lowercased())
        }
        if object[at: ["metadata", "creationTimestamp"]]?.string == nil {
            object[at: ["metadata", "creationTimestamp"]] = .string(KubeTime.rfc3339(now()))
        }
        if object[at: ["metadata", "generation"]] == nil { object[at: ["metadata", "generation"]] = .integer(1) }
        object[at: ["metadata", "resourceVersion"]] = .string(String(revision))
        store[key] = object
        publish(FakeWatchRecord(revision: revision, resource: key.resource, namespace: key.namespace, change: .added, object: object))
        return object
    }

    /// Stores a new version of an existing object, or removes it when it was waiting only for
    /// its last finalizer (the registry's `ShouldDeleteDuringUpdate`).
    func replace(_ type: ResourceType, _ key: StoreKey, _ object: JSONValue, previous: JSONValue) -> JSONValue {
        if FakeObjectRules.isReadyToRemove(type, object) { return remove(type, key, object) }
        var object = object
        revision += 1
        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        object[at: ["metadata", "resourceVersion"]] = .string(String(revision))
        store[key] = object
        publish(FakeWatchRecord(revision: revision, resource: key.resource, namespace: key.namespace, change: .modified,
                                object: object, previous: previous))
        return object
    }

    /// Removes an object; its last state carries the deletion's resourceVersion, as the DELETED
    /// event of a real watch does.
    func remove(_ type: ResourceType, _ key: StoreKey, _ object: JSONValue) -> JSONValue {
        var object = object
        revision += 1
        object[at: ["metadata", "resourceVersion"]] = .string(String(revision))
        store[key] = nil
        publish(FakeWatchRecord(revision: revision, resource: key.resource, namespace: key.namespace, change: .deleted, object: object))
        return object
    }
}
