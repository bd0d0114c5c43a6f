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
        let validation = try FieldValidation(query, options: "CreateOptions")
        let input = try decodeChecked(body, contentType: contentType, type, validation: validation)
        try checkTypeMeta(input, type)
        try ObjectValidation.checkTypes(input, type)
        if let bodyNamespace = input["metadata"]?["namespace"]?.string, !bodyNamespace.isEmpty, type.namespaced, bodyNamespace != namespace {
            throw KubeStatus.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let object = try admit(ObjectDefaults.forCreate(input, type, namespace: namespace, fieldManager: query["fieldManager"] ?? "unknown"),
                               type, old: nil)
        return try await storeNew(object, type, namespace: namespace, dryRun: query["dryRun"] == "All",
                                  admissionName: KubeStatus.admissionName(input))
    }

    /// Stores a defaulted, validated new object (create, and apply to an absent object): its
    /// namespace must exist, per-type work is done first, and a cluster IP claimed for it is
    /// given back when the store refuses it. `admissionName` is the name admission errors
    /// report (the generateName prefix for a generated name); the object's name by default.
    func storeNew(_ object: JSONValue, _ type: ResourceType, namespace: String?, dryRun: Bool,
                  admissionName: String? = nil) async throws -> JSONValue {
        let name = admissionName ?? KubeStatus.admissionName(object)
        if type.namespaced, let namespace {
            try await requireNamespace(namespace, creating: type, name: name)
        }
        let prepared = try await prepareCreate(object, type, dryRun: dryRun, admissionName: name)
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

    /// Per-type work before a create is stored: the admission plugins that read other objects
    /// (Priority for pods, DefaultStorageClass for claims), Service cluster IPs (allocated, or
    /// the requested one claimed), CRD status.
    func prepareCreate(_ input: JSONValue, _ type: ResourceType, dryRun: Bool, admissionName: String) async throws -> JSONValue {
        var object = input
        if type.group.isEmpty, type.kind == "Pod" {
            let classes = try await store.list(BuiltinResources.priorityClasses, namespace: nil).items
            object = try PodAdmission.resolvingPriority(object, priorityClasses: classes, name: admissionName)
        }
        if type.group.isEmpty, type.kind == "PersistentVolumeClaim" {
            let classes = try await store.list(BuiltinResources.storageClasses, namespace: nil).items
            object = StorageDefaults.assigningDefaultClass(object, storageClasses: classes)
        }
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

    /// PUT of an object or its status, scale or (for a Namespace) finalize subresource.
    func update(_ type: ResourceType, namespace: String?, name: String, subresource: String?, query: RequestQuery,
                body: [UInt8], contentType: String?) async throws -> Response {
        let validation = try FieldValidation(query, options: "UpdateOptions")
        if subresource == "scale" {
            let scale = try RequestBodyDecoder.object(body, contentType: contentType, expect: type)
            return try await updateScale(type, namespace: namespace, name: name, scale: scale)
        }
        let input = try decodeChecked(body, contentType: contentType, type, validation: validation)
        try checkTypeMeta(input, type)
        try ObjectValidation.checkTypes(input, type)
        let bodyName = input["metadata"]?["name"]?.string ?? ""
        if bodyName != name {
            throw KubeStatus.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        let existing = try await fetch(type, namespace, name)
        let object = try admit(ObjectDefaults.forUpdate(input, existing: existing, type, subresource: subresource), type, old: existing)
        if subresource == "finalize" { try validateFinalize(object) }
        if query["dryRun"] == "All" { return KubeResponses.json(object) }
        let stored = try await save(type, object, existing: existing)
        return KubeResponses.json(stored)
    }

    /// Stores an updated object. An update that takes the last finalizer off an object whose
    /// deletion was requested (and whose grace period, if any, is over) removes it instead, as
    /// kube-apiserver's `ShouldDeleteDuringUpdate`; the answer is then the object as updated.
    func save(_ type: ResourceType, _ object: JSONValue, existing: JSONValue) async throws -> JSONValue {
        if DeletionRules.shouldDeleteDuringUpdate(object, existing: existing, type) {
            let (namespace, name) = RegistryObjectStore.identity(object)
            // An unconditional update (no resourceVersion) removes what it read.
            let given = object["metadata"]?["resourceVersion"]?.string ?? ""
            let rv = Int64(given.isEmpty ? existing["metadata"]?["resourceVersion"]?.string ?? "" : given) ?? 0
            let deleted = try await store.delete(type, namespace: namespace, name: name, expected: rv)
            noteCatalogueChange(type, nil, key: store.key(type, namespace: namespace, name: name))
            await releaseClusterIPs(type, deleted)
            return object
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
