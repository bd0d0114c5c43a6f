import Hummingbird
import KubeCore

/// create and update, and the scale subresource's update.
extension ResourceHandler {
    /// POST to a collection: 201 with the stored object.
    func create(_ type: ResourceType, namespace: String?, query: RequestQuery, body: [UInt8], contentType: String?) async throws -> Response {
        let stored = try await createObject(type, namespace: namespace, query: query, body: body, contentType: contentType)
        return KubeResponses.json(stored, status: .created)
    }

    /// Decodes, defaults, validates and stores a new object; returns what was stored (or, for a
    /// dry run, what would have been).
    func createObject(_ type: ResourceType, namespace: String?, query: RequestQuery, body: [UInt8], contentType: String?) async throws -> JSONValue {
        let input = try RequestBodyDecoder.object(body, contentType: contentType, expect: type)
        try checkTypeMeta(input, type)
        try ObjectValidation.checkTypes(input, type)
        if let bodyNamespace = input["metadata"]?["namespace"]?.string, !bodyNamespace.isEmpty, type.namespaced, bodyNamespace != namespace {
            throw KubeStatus.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let object = ObjectDefaults.forCreate(input, type, namespace: namespace, fieldManager: query["fieldManager"] ?? "unknown")
        try ObjectValidation.validate(object, type, isCreate: true)
        return try await storeNew(object, type, namespace: namespace, dryRun: query["dryRun"] == "All")
    }

    /// Stores a defaulted, validated new object (create, and apply to an absent object): its
    /// namespace must exist, per-type work is done first, and a cluster IP claimed for it is
    /// given back when the store refuses it.
    func storeNew(_ object: JSONValue, _ type: ResourceType, namespace: String?, dryRun: Bool) async throws -> JSONValue {
        if type.namespaced, let namespace {
            try await requireNamespace(namespace)
        }
        let prepared = try await prepareCreate(object, type, dryRun: dryRun)
        if dryRun { return prepared }
        do {
            let stored = try await store.create(type, prepared)
            noteCatalogueChange(type, stored)
            return stored
        } catch {
            await releaseClusterIPs(type, prepared)
            throw error
        }
    }

    /// Per-type work before a create is stored: Service cluster IPs (allocated, or the
    /// requested one claimed), CRD status.
    func prepareCreate(_ input: JSONValue, _ type: ResourceType, dryRun: Bool) async throws -> JSONValue {
        var object = input
        if type.group.isEmpty, type.kind == "Service" {
            var spec = object["spec"] ?? .object([:])
            let kind = spec["type"]?.string ?? "ClusterIP"
            let requested = spec["clusterIP"]?.string ?? ""
            if requested != "None", kind != "ExternalName" {
                if requested.isEmpty {
                    let ip = try await services.allocate(store: store, dryRun: dryRun)
                    spec["clusterIP"] = .string(ip)
                    spec["clusterIPs"] = .array([.string(ip)])
                } else {
                    let name = object["metadata"]?["name"]?.string ?? ""
                    try await services.claim(requested, service: name, store: store, dryRun: dryRun)
                }
            }
            object["spec"] = spec
        }
        if type.group == "apiextensions.k8s.io", type.kind == "CustomResourceDefinition" {
            object = CRDStatus.accepted(object)
        }
        return object
    }

    /// PUT of an object or its status or scale subresource.
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

    /// Stores an updated object; an object being deleted whose last finalizer went away is
    /// removed instead, as the garbage collector would.
    func save(_ type: ResourceType, _ object: JSONValue, existing: JSONValue) async throws -> JSONValue {
        let finalizers = object["metadata"]?["finalizers"]?.array ?? []
        if object["metadata"]?["deletionTimestamp"] != nil, object["metadata"]?["deletionTimestamp"] != .null, finalizers.isEmpty {
            let (namespace, name) = RegistryObjectStore.identity(object)
            let rv = Int64(object["metadata"]?["resourceVersion"]?.string ?? "") ?? 0
            let deleted = try await store.delete(type, namespace: namespace, name: name, expected: rv)
            noteCatalogueChange(type, nil, key: store.key(type, namespace: namespace, name: name))
            await releaseClusterIPs(type, deleted)
            return deleted
        }
        let stored = try await store.update(type, object)
        noteCatalogueChange(type, stored)
        return stored
    }

    /// Sets `spec.replicas` from a Scale, retrying on conflict.
    func updateScale(_ type: ResourceType, namespace: String?, name: String, scale: JSONValue) async throws -> Response {
        guard type.subresources.contains("scale") else { throw KubeStatus.pathNotFound("scale") }
        guard let replicas = scale["spec"]?["replicas"]?.int, replicas >= 0 else {
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
                return KubeResponses.json(ScaleSubresource.view(of: stored))
            } catch let status as KubeStatus where status.reason == "Conflict" {
                continue
            }
        }
        throw KubeStatus.conflict(type, name: name)
    }
}
