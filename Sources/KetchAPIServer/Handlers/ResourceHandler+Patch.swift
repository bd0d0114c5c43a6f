import Hummingbird
import KubeCore

/// patch: JSON, merge and strategic merge patches, and server-side apply.
extension ResourceHandler {
    /// PATCH of an object or its status or scale subresource; applies to whatever is current,
    /// retrying on conflict as kube-apiserver does, unless the patch names a resourceVersion.
    func patch(_ type: ResourceType, namespace: String?, name: String, subresource: String?, query: RequestQuery,
               body: [UInt8], contentType: String?) async throws -> Response {
        guard let patchType = PatchType(contentType: contentType ?? ""), patchType != .strategic || Self.isBuiltin(type) else {
            throw KubeStatus(code: 415, reason: "UnsupportedMediaType",
                             message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
        }
        let validation = try FieldValidation(query, options: "PatchOptions")
        let patchValue: JSONValue
        var appliedDuplicates: [String] = []
        if patchType == .apply {
            if validation.checks {
                (patchValue, appliedDuplicates) = try RequestBodyDecoder.yamlCheckingDuplicates(body, resource: type)
            } else {
                patchValue = try RequestBodyDecoder.yaml(body, resource: type)
            }
        } else {
            patchValue = try RequestBodyDecoder.json(body, resource: type)
        }
        let manager = query["fieldManager"] ?? (patchType == .apply ? "" : "unknown")
        if patchType == .apply, manager.isEmpty {
            throw KubeStatus.badRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")
        }
        if patchType == .apply {
            try checkApplied(patchValue, duplicateLines: appliedDuplicates, type, namespace: namespace, name: name, validation: validation)
        }
        let bodyErrors = validation.checks ? Self.patchBodyErrors(body, patchType) : []
        let dryRun = query["dryRun"] == "All"
        for _ in 0..<8 {
            guard let existing = try await store.get(type, namespace: namespace, name: name) else {
                guard patchType == .apply else { throw KubeStatus.notFound(type, name: name) }
                let created = try await createByApply(patchValue, type, namespace: namespace, name: name, manager: manager, dryRun: dryRun)
                return KubeResponses.json(created, status: .created)
            }
            var patched = try patchedObject(patchValue, patchType, existing: existing, type: type, manager: manager, force: query.flag("force"))
            if patchType != .apply {
                patched = try checkPatched(bodyErrors: bodyErrors, patched: patched, patch: patchValue, patchType, type, validation: validation)
            }
            try ObjectValidation.checkTypes(patched, type)
            if (patched["metadata"]?["name"]?.string ?? name) != name {
                throw KubeStatus.badRequest("the name of the object (\(patched["metadata"]?["name"]?.string ?? "")) does not match the name on the URL (\(name))")
            }
            // A patch that names a resourceVersion is a precondition; otherwise it applies to the current one.
            let explicit = patchValue["metadata"]?["resourceVersion"]?.string
            var meta = patched["metadata"] ?? .object([:])
            meta["resourceVersion"] = .string(explicit ?? existing["metadata"]?["resourceVersion"]?.string ?? "")
            if patchType != .apply, let manager = query["fieldManager"] {
                meta = ManagedFields.record(meta, manager: manager, operation: "Update", apiVersion: type.apiVersion, object: patchValue)
            }
            patched["metadata"] = meta
            if subresource == "scale" {
                let replicas = patched["spec"]?["replicas"]
                return try await updateScale(type, namespace: namespace, name: name,
                                             scale: .object(["spec": .object(["replicas": replicas ?? .integer(0)])]))
            }
            let object = try admit(ObjectDefaults.forUpdate(patched, existing: existing, type, subresource: subresource), type, old: existing)
            if dryRun { return KubeResponses.json(object) }
            do {
                return KubeResponses.json(try await save(type, object, existing: existing))
            } catch let status as KubeStatus where status.reason == "Conflict" && explicit == nil {
                continue
            }
        }
        throw KubeStatus.conflict(type, name: name)
    }

    /// The live object with the patch applied; the patch libraries' errors as statuses.
    private func patchedObject(_ patch: JSONValue, _ patchType: PatchType, existing: JSONValue, type: ResourceType,
                               manager: String, force: Bool) throws -> JSONValue {
        let patched: JSONValue
        do {
            switch patchType {
            case .json:
                patched = try JSONPatch.apply(patch, to: existing)
            case .merge:
                try Self.requireObject(patch)
                patched = MergePatch.apply(patch, to: existing)
            case .strategic:
                try Self.requireObject(patch)
                patched = try StrategicMergePatch.apply(patch, to: existing)
            case .apply:
                patched = try applyConfiguration(patch, to: existing, type: type, manager: manager, force: force)
            }
        } catch let error as PatchError {
            let reason = error.code == 400 ? "BadRequest" : error.code == 500 ? "InternalError" : "Invalid"
            throw KubeStatus(code: error.code, reason: reason, message: error.message)
        }
        guard case .object = patched else { throw KubeStatus.badRequest("the patch did not produce an object") }
        return patched
    }

    /// 400 for a merge patch that is not a JSON object, in Go's words.
    private static func requireObject(_ patch: JSONValue) throws {
        guard case .object = patch else {
            throw KubeStatus.badRequest("json: cannot unmarshal \(patch.goTypeName) into Go value of type map[string]interface {}")
        }
    }

    /// Server-side apply to an absent object creates it, owned by the applying manager.
    private func createByApply(_ applied: JSONValue, _ type: ResourceType, namespace: String?, name: String,
                               manager: String, dryRun: Bool) async throws -> JSONValue {
        var created = applied
        var meta = created["metadata"] ?? .object([:])
        meta["name"] = .string(name)
        created["metadata"] = meta
        try ObjectValidation.checkTypes(created, type)
        var object = ObjectDefaults.forCreate(created, type, namespace: namespace, fieldManager: nil)
        var m = object["metadata"] ?? .object([:])
        m["managedFields"] = .array([ManagedFields.entry(manager: manager, operation: "Apply", apiVersion: type.apiVersion,
                                                         time: KubeTime.rfc3339(), object: applied)])
        object["metadata"] = m
        object = try admit(object, type, old: nil)
        return try await storeNew(object, type, namespace: namespace, dryRun: dryRun)
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
        let meta = merged["metadata"] ?? .object([:])
        merged["metadata"] = ManagedFields.record(meta, manager: manager, operation: "Apply", apiVersion: type.apiVersion, object: applied)
        return merged
    }
}
