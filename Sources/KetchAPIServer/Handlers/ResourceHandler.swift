import Foundation
import Hummingbird
import KubeCore
import Logging

/// The verbs on API objects: get, list, create, update, patch, delete, deletecollection, and
/// the status and scale subresources. Watches go to ``WatchHandler``.
struct ResourceHandler: Sendable {
    let store: RegistryObjectStore
    let registry: ResourceRegistry
    let services: ServiceIPAllocator
    let logger: Logger

    /// Serves one resource request whose type has been resolved.
    func handle(_ request: Request, info: RequestInfo, type: ResourceType, query: RequestQuery, body: [UInt8]) async throws -> Response {
        let shape = ResponseShape(accept: request.headers[.accept], includeObject: query["includeObject"])
        if let sub = info.subresource, !["status", "scale"].contains(sub) {
            throw KubeStatus.pathNotFound(info.path)
        }
        if let sub = info.subresource, !type.subresources.contains(sub) {
            throw KubeStatus.pathNotFound(info.path)
        }
        for dryRun in query.values("dryRun") where dryRun != "All" {
            throw KubeStatus.badRequest("dryRun: Unsupported value: \"\(dryRun)\": supported values: \"All\"")
        }
        if let limit = query["limit"], !limit.isEmpty, Int(limit) == nil {
            throw KubeStatus.badRequest("limit: Invalid value: \"\(limit)\": must be an integer")
        }
        let namespace = type.namespaced ? info.namespace : nil
        if type.namespaced, namespace == nil, !["list", "watch"].contains(info.verb) {
            throw KubeStatus.pathNotFound(info.path)
        }
        // PUT or PATCH on a collection URL: kube-apiserver's 405 (the cases below need a name).
        if ["update", "patch"].contains(info.verb), info.name == nil {
            throw KubeStatus.methodNotAllowed(info.verb, type)
        }
        switch info.verb {
        case "get":
            // The watch cache parses a get's resourceVersion before looking the object up.
            do { _ = try ResourceVersionParameter.parse(query["resourceVersion"] ?? "") } catch {
                throw KubeStatus.resourceVersionRejected(error, by: .watchCache)
            }
            let object = try await fetch(type, namespace, info.name!)
            if info.subresource == "scale" { return KubeResponses.json(Scale.from(object, type)) }
            return KubeResponses.json(shape.render(object, type))
        case "list":
            return try await list(type, namespace: namespace, query: query, shape: shape)
        case "create":
            guard info.name == nil else { throw KubeStatus.methodNotAllowed("create", type) }
            return try await create(type, namespace: namespace, query: query, body: body, contentType: request.headers[.contentType])
        case "update":
            return try await update(type, namespace: namespace, name: info.name!, subresource: info.subresource,
                                    query: query, body: body, contentType: request.headers[.contentType])
        case "patch":
            return try await patch(type, namespace: namespace, name: info.name!, subresource: info.subresource,
                                   query: query, body: body, contentType: request.headers[.contentType])
        case "delete":
            return try await delete(type, namespace: namespace, name: info.name!, query: query, body: body)
        case "deletecollection":
            return try await deleteCollection(type, namespace: namespace, query: query, shape: shape)
        default:
            throw KubeStatus.methodNotAllowed(info.verb, type)
        }
    }

    // MARK: read

    func fetch(_ type: ResourceType, _ namespace: String?, _ name: String) async throws -> JSONValue {
        guard let object = try await store.get(type, namespace: namespace, name: name) else {
            throw KubeStatus.notFound(type, name: name)
        }
        return object
    }

    func list(_ type: ResourceType, namespace: String?, query: RequestQuery, shape: ResponseShape) async throws -> Response {
        let filter = try ListRequest(query: query, type: type, verb: .list).filter
        let limit = Int(query["limit"] ?? "") ?? 0
        let page = try await store.list(type, namespace: namespace, options: .init(
            limit: max(limit, 0), continueToken: query["continue"], filter: filter))
        var listMeta: [String: JSONValue] = ["resourceVersion": .string(page.resourceVersion)]
        if let token = page.continueToken { listMeta["continue"] = .string(token) }
        if let remaining = page.remainingItemCount { listMeta["remainingItemCount"] = .integer(remaining) }
        return KubeResponses.json(shape.renderList(page.items, type, listMeta: .object(listMeta)))
    }

    // MARK: write

    func create(_ type: ResourceType, namespace: String?, query: RequestQuery, body: [UInt8], contentType: String?) async throws -> Response {
        let input = try RequestBodyDecoder.object(body, contentType: contentType, expect: type)
        try checkTypeMeta(input, type)
        try ObjectValidation.checkTypes(input, type)
        if let bodyNamespace = input["metadata"]?["namespace"]?.string, !bodyNamespace.isEmpty, type.namespaced, bodyNamespace != namespace {
            throw KubeStatus.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        var object = ObjectDefaults.forCreate(input, type, namespace: namespace, fieldManager: query["fieldManager"] ?? "unknown")
        try ObjectValidation.validate(object, type, isCreate: true)
        if type.namespaced, let namespace {
            try await requireNamespace(namespace)
        }
        object = try await prepareCreate(object, type)
        if query["dryRun"] == "All" { return KubeResponses.json(object, status: .created) }
        let stored = try await store.create(type, object)
        noteCatalogueChange(type, stored)
        return KubeResponses.json(stored, status: .created)
    }

    /// Per-type work before a create is stored: Service cluster IPs, CRD status.
    func prepareCreate(_ input: JSONValue, _ type: ResourceType) async throws -> JSONValue {
        var object = input
        if type.group.isEmpty, type.kind == "Service" {
            var spec = object["spec"] ?? .object([:])
            let kind = spec["type"]?.string ?? "ClusterIP"
            if spec["clusterIP"]?.string != "None", kind != "ExternalName", (spec["clusterIP"]?.string ?? "").isEmpty {
                let ip = try await services.allocate(store: store)
                spec["clusterIP"] = .string(ip)
                spec["clusterIPs"] = .array([.string(ip)])
            }
            object["spec"] = spec
        }
        if type.group == "apiextensions.k8s.io", type.kind == "CustomResourceDefinition" {
            object = CRDStatus.accepted(object)
        }
        return object
    }

    func update(_ type: ResourceType, namespace: String?, name: String, subresource: String?, query: RequestQuery,
                body: [UInt8], contentType: String?) async throws -> Response {
        let input = try RequestBodyDecoder.object(body, contentType: contentType, expect: type)
        if subresource == "scale" {
            return try await updateScale(type, namespace: namespace, name: name, scale: input)
        }
        try checkTypeMeta(input, type)
        try ObjectValidation.checkTypes(input, type)
        let bodyName = input["metadata"]?["name"]?.string ?? ""
        if bodyName != name {
            throw KubeStatus.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        let existing = try await fetch(type, namespace, name)
        let object = ObjectDefaults.forUpdate(input, existing: existing, type, subresource: subresource)
        try ObjectValidation.validate(object, type, isCreate: false)
        if query["dryRun"] == "All" { return KubeResponses.json(object) }
        let stored = try await save(type, object, existing: existing)
        return KubeResponses.json(stored)
    }

    func patch(_ type: ResourceType, namespace: String?, name: String, subresource: String?, query: RequestQuery,
               body: [UInt8], contentType: String?) async throws -> Response {
        guard let patchType = PatchType(contentType: contentType ?? "") else {
            throw KubeStatus(code: 415, reason: "UnsupportedMediaType",
                             message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
        }
        if patchType == .strategic, !Self.isBuiltin(type) {
            throw KubeStatus(code: 415, reason: "UnsupportedMediaType",
                             message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
        }
        let patchValue: JSONValue
        if patchType == .apply {
            patchValue = try RequestBodyDecoder.yaml(body, resource: type)
        } else {
            patchValue = try RequestBodyDecoder.json(body, resource: type)
        }
        let manager = query["fieldManager"] ?? (patchType == .apply ? "" : "unknown")
        if patchType == .apply, manager.isEmpty {
            throw KubeStatus.badRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")
        }
        // Retry on conflict: a patch applies to whatever is current, as kube-apiserver's does.
        for _ in 0..<8 {
            guard let existing = try await store.get(type, namespace: namespace, name: name) else {
                if patchType == .apply {
                    var created = patchValue
                    var meta = created["metadata"] ?? .object([:])
                    meta["name"] = .string(name)
                    created["metadata"] = meta
                    try ObjectValidation.checkTypes(created, type)
                    var object = ObjectDefaults.forCreate(created, type, namespace: namespace, fieldManager: nil)
                    var m = object["metadata"] ?? .object([:])
                    m["managedFields"] = .array([ObjectDefaults.managedFieldsEntry(manager: manager, operation: "Apply", apiVersion: type.apiVersion, time: ObjectDefaults.timestamp(), object: patchValue)])
                    object["metadata"] = m
                    try ObjectValidation.validate(object, type, isCreate: true)
                    if let namespace, type.namespaced { try await requireNamespace(namespace) }
                    object = try await prepareCreate(object, type)
                    if query["dryRun"] == "All" { return KubeResponses.json(object, status: .created) }
                    let stored = try await store.create(type, object)
                    noteCatalogueChange(type, stored)
                    return KubeResponses.json(stored, status: .created)
                }
                throw KubeStatus.notFound(type, name: name)
            }
            var patched: JSONValue
            do {
                switch patchType {
                case .json:
                    patched = try JSONPatch.apply(patchValue, to: existing)
                case .merge:
                    guard case .object = patchValue else { throw KubeStatus.badRequest("json: cannot unmarshal \(RequestBodyDecoder.goType(patchValue)) into Go value of type map[string]interface {}") }
                    patched = MergePatch.apply(patchValue, to: existing)
                case .strategic:
                    guard case .object = patchValue else { throw KubeStatus.badRequest("json: cannot unmarshal \(RequestBodyDecoder.goType(patchValue)) into Go value of type map[string]interface {}") }
                    patched = try StrategicMergePatch.apply(patchValue, to: existing)
                case .apply:
                    patched = try applyConfiguration(patchValue, to: existing, type: type, manager: manager, force: query.flag("force"))
                }
            } catch let status as KubeStatus {
                throw status
            } catch let error as PatchError {
                let reason = error.code == 400 ? "BadRequest" : error.code == 500 ? "InternalError" : "Invalid"
                throw KubeStatus(code: error.code, reason: reason, message: error.message)
            }
            guard case .object = patched else { throw KubeStatus.badRequest("the patch did not produce an object") }
            try ObjectValidation.checkTypes(patched, type)
            if (patched["metadata"]?["name"]?.string ?? name) != name {
                throw KubeStatus.badRequest("the name of the object (\(patched["metadata"]?["name"]?.string ?? "")) does not match the name on the URL (\(name))")
            }
            // A patch that names a resourceVersion is a precondition; otherwise it applies to the current one.
            let explicit = patchValue["metadata"]?["resourceVersion"]?.string
            var meta = patched["metadata"] ?? .object([:])
            meta["resourceVersion"] = .string(explicit ?? existing["metadata"]?["resourceVersion"]?.string ?? "")
            if patchType != .apply, let manager = query["fieldManager"] {
                meta = Self.recordManager(meta, manager: manager, operation: "Update", apiVersion: type.apiVersion, object: patchValue)
            }
            patched["metadata"] = meta
            if subresource == "scale" {
                let replicas = patched["spec"]?["replicas"]
                return try await updateScale(type, namespace: namespace, name: name,
                                             scale: .object(["spec": .object(["replicas": replicas ?? .integer(0)])]))
            }
            let object = ObjectDefaults.forUpdate(patched, existing: existing, type, subresource: subresource)
            try ObjectValidation.validate(object, type, isCreate: false)
            if query["dryRun"] == "All" { return KubeResponses.json(object) }
            do {
                let stored = try await save(type, object, existing: existing)
                return KubeResponses.json(stored)
            } catch let status as KubeStatus where status.reason == "Conflict" && explicit == nil {
                continue
            }
        }
        throw KubeStatus.conflict(type, name: name)
    }

    /// Server-side apply: the applied configuration merged into the live object, the manager
    /// recorded in managedFields with operation Apply.
    func applyConfiguration(_ applied: JSONValue, to existing: JSONValue, type: ResourceType, manager: String, force: Bool) throws -> JSONValue {
        if let kind = applied["kind"]?.string, kind != type.kind {
            throw KubeStatus.badRequest("the kind in the body (\(kind)) does not match the resource (\(type.kind))")
        }
        var merged = Self.isBuiltin(type)
            ? try StrategicMergePatch.apply(applied, to: existing)
            : MergePatch.apply(applied, to: existing)
        var meta = merged["metadata"] ?? .object([:])
        meta = Self.recordManager(meta, manager: manager, operation: "Apply", apiVersion: type.apiVersion, object: applied)
        merged["metadata"] = meta
        return merged
    }

    /// Replaces (or adds) the managedFields entry of one manager and operation.
    static func recordManager(_ metadata: JSONValue, manager: String, operation: String, apiVersion: String, object: JSONValue) -> JSONValue {
        var meta = metadata
        var entries = meta["managedFields"]?.array ?? []
        entries.removeAll { $0["manager"]?.string == manager && $0["operation"]?.string == operation }
        entries.append(ObjectDefaults.managedFieldsEntry(manager: manager, operation: operation, apiVersion: apiVersion,
                                                        time: ObjectDefaults.timestamp(), object: object))
        meta["managedFields"] = .array(entries)
        return meta
    }

    /// Stores an updated object; an object being deleted whose last finalizer went away is
    /// removed instead, as the garbage collector would.
    func save(_ type: ResourceType, _ object: JSONValue, existing: JSONValue) async throws -> JSONValue {
        let finalizers = object["metadata"]?["finalizers"]?.array ?? []
        if object["metadata"]?["deletionTimestamp"] != nil, object["metadata"]?["deletionTimestamp"] != .null, finalizers.isEmpty {
            let (namespace, name) = RegistryObjectStore.identity(object)
            let rv = Int64(object["metadata"]?["resourceVersion"]?.string ?? "") ?? 0
            let deleted = try await store.delete(type, namespace: namespace, name: name, expected: rv)
            noteCatalogueChange(type, nil, key: store.key(type, namespace: namespace, name: name))
            return deleted
        }
        let stored = try await store.update(type, object)
        noteCatalogueChange(type, stored)
        return stored
    }

    func updateScale(_ type: ResourceType, namespace: String?, name: String, scale: JSONValue) async throws -> Response {
        guard type.subresources.contains("scale") else { throw KubeStatus.pathNotFound("scale") }
        guard let replicas = scale["spec"]?["replicas"]?.intValue, replicas >= 0 else {
            throw KubeStatus.invalid(type, kind: "Scale", name: name, causes: [.init(reason: "FieldValueInvalid", message: "Invalid value: must be greater than or equal to 0", field: "spec.replicas")])
        }
        for _ in 0..<8 {
            let existing = try await fetch(type, namespace, name)
            var object = existing
            var spec = object["spec"] ?? .object([:])
            spec["replicas"] = .integer(replicas)
            object["spec"] = spec
            object = ObjectDefaults.forUpdate(object, existing: existing, type, subresource: nil)
            do {
                let stored = try await store.update(type, object)
                return KubeResponses.json(Scale.from(stored, type))
            } catch let status as KubeStatus where status.reason == "Conflict" {
                continue
            }
        }
        throw KubeStatus.conflict(type, name: name)
    }

    // MARK: delete

    func delete(_ type: ResourceType, namespace: String?, name: String, query: RequestQuery, body: [UInt8]) async throws -> Response {
        var options: JSONValue = .object([:])
        if !body.isEmpty {
            if let parsed = try? JSONValue(parsing: Data(body)) { options = parsed }
            else if let parsed = try? KubeProtobuf.decode(body) { options = parsed }
        }
        let dryRun = query["dryRun"] == "All" || options["dryRun"]?.array?.contains(.string("All")) == true
        let existing = try await fetch(type, namespace, name)
        if let uid = options["preconditions"]?["uid"]?.string, uid != existing["metadata"]?["uid"]?.string {
            throw KubeStatus.conflict(type, name: name, why: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(existing["metadata"]?["uid"]?.string ?? "")")
        }
        if let rv = options["preconditions"]?["resourceVersion"]?.string, rv != existing["metadata"]?["resourceVersion"]?.string {
            throw KubeStatus.conflict(type, name: name, why: "Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(existing["metadata"]?["resourceVersion"]?.string ?? "")")
        }
        if dryRun { return KubeResponses.json(existing) }
        let finalizers = existing["metadata"]?["finalizers"]?.array ?? []
        let propagation = options["propagationPolicy"]?.string ?? query["propagationPolicy"]
        if !finalizers.isEmpty || propagation == "Foreground" {
            // Finalizers hold the object: mark it and let whoever owns the finalizer remove it.
            var object = existing
            var meta = object["metadata"] ?? .object([:])
            if meta["deletionTimestamp"] == nil || meta["deletionTimestamp"] == .null {
                meta["deletionTimestamp"] = .string(ObjectDefaults.timestamp())
                meta["deletionGracePeriodSeconds"] = .integer(0)
                if propagation == "Foreground", finalizers.isEmpty {
                    // No dependents are tracked, so foreground deletion completes at once.
                    object["metadata"] = meta
                    return try await removeObject(type, namespace: namespace, name: name, existing: existing)
                }
                object["metadata"] = meta
                let stored = try await store.update(type, object)
                return KubeResponses.json(stored)
            }
            return KubeResponses.json(existing)
        }
        if type.group.isEmpty, type.kind == "Namespace" {
            try await deleteNamespaceContents(name)
        }
        return try await removeObject(type, namespace: namespace, name: name, existing: existing)
    }

    private func removeObject(_ type: ResourceType, namespace: String?, name: String, existing: JSONValue) async throws -> Response {
        guard let deleted = try await store.delete(type, namespace: namespace, name: name) else {
            throw KubeStatus.notFound(type, name: name)
        }
        noteCatalogueChange(type, nil, key: store.key(type, namespace: namespace, name: name))
        if type.group.isEmpty, type.kind == "Namespace" {
            var object = deleted
            var status = object["status"] ?? .object([:])
            status["phase"] = .string("Terminating")
            object["status"] = status
            return KubeResponses.json(object)
        }
        return KubeResponses.json(deleted)
    }

    /// Empties a namespace before it goes, as the namespace controller would.
    func deleteNamespaceContents(_ namespace: String) async throws {
        for type in registry.catalogue.all where type.namespaced {
            let prefix = type.listPrefix(root: store.root, namespace: namespace)
            let page = try await store.backend.range(start: prefix, end: prefix.prefixRangeEnd, limit: 0, revision: 0)
            for stored in page.values {
                _ = try await store.backend.delete(stored.key, expected: stored.modRevision)
            }
        }
    }

    func deleteCollection(_ type: ResourceType, namespace: String?, query: RequestQuery, shape: ResponseShape) async throws -> Response {
        let filter = try ListRequest(query: query, type: type, verb: .deleteCollection).filter
        let page = try await store.list(type, namespace: namespace, options: .init(filter: filter))
        var deleted: [JSONValue] = []
        for item in page.items {
            let (ns, name) = RegistryObjectStore.identity(item)
            if let gone = try await store.delete(type, namespace: ns, name: name) { deleted.append(gone) }
        }
        return KubeResponses.json(ResponseShape.object.renderList(deleted, type, listMeta: .object(["resourceVersion": .string(page.resourceVersion)])))
    }

    // MARK: helpers

    /// Built-in types take strategic merge patches; custom resources only JSON and merge patches.
    static func isBuiltin(_ type: ResourceType) -> Bool {
        BuiltinResources.all.contains { $0.group == type.group && $0.plural == type.plural }
    }

    func checkTypeMeta(_ object: JSONValue, _ type: ResourceType) throws {
        if let apiVersion = object["apiVersion"]?.string, !apiVersion.isEmpty, apiVersion != type.apiVersion {
            throw KubeStatus.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(type.apiVersion))")
        }
        if let kind = object["kind"]?.string, !kind.isEmpty, kind != type.kind {
            throw KubeStatus.badRequest("the kind in the data (\(kind)) does not match the expected kind (\(type.kind))")
        }
    }

    func requireNamespace(_ namespace: String) async throws {
        guard let ns = try await store.get(BuiltinResources.namespaces, namespace: nil, name: namespace) else {
            throw KubeStatus.notFound(BuiltinResources.namespaces, name: namespace)
        }
        if ns["status"]?["phase"]?.string == "Terminating" {
            throw KubeStatus(code: 403, reason: "Forbidden", message: "unable to create new content in namespace \(namespace) because it is being terminated")
        }
    }

    /// CRD writes change what is served; tell the registry at once.
    func noteCatalogueChange(_ type: ResourceType, _ object: JSONValue?, key: String? = nil) {
        guard type.group == "apiextensions.k8s.io", type.kind == "CustomResourceDefinition" else { return }
        if let object {
            let name = object["metadata"]?["name"]?.string ?? ""
            registry.noteCRD(key: store.key(type, namespace: nil, name: name), object: object)
        } else if let key {
            registry.noteCRD(key: key, object: nil)
        }
    }
}

/// autoscaling/v1 Scale views of workloads.
enum Scale {
    static func from(_ object: JSONValue, _ type: ResourceType) -> JSONValue {
        let meta = object["metadata"] ?? .object([:])
        var scaleMeta: [String: JSONValue] = [:]
        for k in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] { scaleMeta[k] = meta[k] }
        let selector = object["spec"]?["selector"]?["matchLabels"]?.object?
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.string ?? "")" }.joined(separator: ",")
        var status: [String: JSONValue] = ["replicas": object["status"]?["replicas"] ?? .integer(0)]
        if let selector { status["selector"] = .string(selector) }
        return .object([
            "kind": .string("Scale"), "apiVersion": .string("autoscaling/v1"),
            "metadata": .object(scaleMeta.filter { $0.value != .null }),
            "spec": .object(["replicas": object["spec"]?["replicas"] ?? .integer(0)]),
            "status": .object(status),
        ])
    }
}

/// CRD status as the apiextensions controllers would set it: names accepted, established.
enum CRDStatus {
    static func accepted(_ crd: JSONValue) -> JSONValue {
        var object = crd
        let now = ObjectDefaults.timestamp()
        let names = crd["spec"]?["names"] ?? .object([:])
        var accepted = names
        if accepted["singular"] == nil, let kind = names["kind"]?.string { accepted["singular"] = .string(kind.lowercased()) }
        if accepted["listKind"] == nil, let kind = names["kind"]?.string { accepted["listKind"] = .string(kind + "List") }
        let storedVersions = (crd["spec"]?["versions"]?.array ?? []).filter { $0["storage"] == .bool(true) }.compactMap { $0["name"] }
        object["status"] = .object([
            "acceptedNames": accepted,
            "conditions": .array([
                .object(["type": .string("NamesAccepted"), "status": .string("True"), "reason": .string("NoConflicts"),
                         "message": .string("no conflicts found"), "lastTransitionTime": .string(now)]),
                .object(["type": .string("Established"), "status": .string("True"), "reason": .string("InitialNamesAccepted"),
                         "message": .string("the initial names have been accepted"), "lastTransitionTime": .string(now)]),
            ]),
            "storedVersions": .array(storedVersions),
        ])
        return object
    }
}
