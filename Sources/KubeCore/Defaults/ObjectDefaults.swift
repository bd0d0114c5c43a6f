import Foundation

/// What kube-apiserver fills in on create and keeps on update: identity, timestamps,
/// generation, and the per-type defaults clients read back (kubectl shows them, apply diffs
/// against them).
public enum ObjectDefaults {
    /// Kinds whose `metadata.generation` tracks spec changes.
    public static func hasGeneration(_ type: ResourceType) -> Bool {
        !(type.group.isEmpty && ["ConfigMap", "Secret", "Event", "Endpoints", "ServiceAccount", "Namespace", "Node", "Pod"].contains(type.kind))
            && type.kind != "Lease"
    }

    /// Prepares a new object: apiVersion/kind, name from generateName, uid, creation time,
    /// generation, namespace, per-type defaults. `fieldManager` records an Update entry in
    /// `managedFields` unless the object carries its own.
    public static func forCreate(_ input: JSONValue, _ type: ResourceType, namespace: String?, fieldManager: String?) -> JSONValue {
        var object = input
        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        var meta = object["metadata"] ?? .object([:])
        if (meta["name"]?.string ?? "").isEmpty, let prefix = meta["generateName"]?.string, !prefix.isEmpty {
            meta["name"] = .string(prefix + randomSuffix())
        }
        if type.namespaced, let namespace { meta["namespace"] = .string(namespace) }
        if !type.namespaced { meta["namespace"] = nil }
        meta["uid"] = .string(UUID().uuidString.lowercased())
        let now = KubeTime.rfc3339()
        meta["creationTimestamp"] = .string(now)
        meta["resourceVersion"] = nil
        meta["deletionTimestamp"] = nil
        meta["selfLink"] = nil
        if hasGeneration(type) { meta["generation"] = .integer(1) } else { meta["generation"] = nil }
        if let manager = fieldManager, !manager.isEmpty, meta["managedFields"] == nil {
            meta["managedFields"] = .array([ManagedFields.entry(manager: manager, operation: "Update", apiVersion: type.apiVersion, time: now, object: object)])
        }
        object["metadata"] = meta
        return TypeStrategies.prepareForCreate(TypeDefaults.apply(object, type), type)
    }

    /// Carries what a client may not change from the stored object into an update, applies the
    /// type's defaults and update strategy, and bumps generation when the spec changed.
    /// `subresource` is `status` for `PUT …/status`, `finalize` for a Namespace's `/finalize`.
    public static func forUpdate(_ input: JSONValue, existing: JSONValue, _ type: ResourceType, subresource: String?) -> JSONValue {
        var object = input
        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        var meta = object["metadata"] ?? .object([:])
        let old = existing["metadata"] ?? .object([:])
        for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "namespace"] {
            meta[field] = old[field]
        }
        meta["selfLink"] = nil
        if subresource == "status" {
            // PUT .../status changes the status and lets metadata through, as upstream's status
            // strategies do (the deployment controller writes its revision annotation this way);
            // the spec, identity and generation stay the stored ones.
            var merged = existing
            merged["status"] = input["status"]
            meta["generation"] = old["generation"]
            if type.group == "apps", type.kind == "Deployment" { meta["labels"] = old["labels"] }
            merged["metadata"] = meta
            return merged
        }
        if type.subresources.contains("status"), subresource == nil || subresource == "finalize" {
            // The main resource ignores status changes when a status subresource exists.
            object["status"] = existing["status"]
        }
        object["metadata"] = meta
        object = TypeStrategies.prepareForUpdate(TypeDefaults.apply(object, type), existing: existing, type, subresource: subresource)
        if hasGeneration(type) {
            // Compared after defaulting, so a spec that only leaves defaults out is unchanged.
            let generation = old["generation"]?.int ?? 1
            var changed = object["spec"] != existing["spec"]
            if type.group == "apps", type.kind == "Deployment" {
                // Deployments copy their annotations to their ReplicaSets, so those count too.
                changed = changed || object["metadata"]?["annotations"] != old["annotations"]
            }
            object["metadata"]?["generation"] = .integer(changed ? generation + 1 : generation)
        }
        return object
    }

    /// kube's five-character name suffix alphabet (no vowels, no confusable characters).
    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement()! })
    }
}
