import KubeCore

/// The patches the garbage collector sends, as upstream builds them (patch.go, operations.go).
/// Each carries the target's uid, so it cannot land on a new object of the same name.
enum GCPatches {
    /// Strategic merge patch deleting the references to `ownerUIDs` from an object
    /// (`GenerateDeleteOwnerRefStrategicMergeBytes`).
    static func deleteOwnerReferences(dependentUID: String, ownerUIDs: [String]) -> JSONValue {
        let deletions = ownerUIDs.map { JSONValue.object(["$patch": .string("delete"), "uid": .string($0)]) }
        return .object(["metadata": .object(["uid": .string(dependentUID), "ownerReferences": .array(deletions)])])
    }

    /// Strategic merge patch setting `blockOwnerDeletion: false` on every blocking reference of
    /// an object (`unblockOwnerReferencesStrategicMergePatch`); nil when none blocks.
    static func unblockOwnerReferences(uid: String, owners: [OwnerReferences.Reference]) -> JSONValue? {
        let blocking = owners.filter(\.blockOwnerDeletion)
        guard !blocking.isEmpty else { return nil }
        let references = blocking.map { owner in
            JSONValue.object([
                "apiVersion": .string(owner.apiVersion), "kind": .string(owner.kind), "name": .string(owner.name),
                "uid": .string(owner.uid), "controller": .bool(owner.controller), "blockOwnerDeletion": .bool(false),
            ])
        }
        return .object(["metadata": .object(["uid": .string(uid), "ownerReferences": .array(references)])])
    }

    /// JSON merge patch removing `finalizer` from `object`, guarded by its resourceVersion
    /// (`removeFinalizer`); nil when the finalizer is not there.
    static func removeFinalizer(_ finalizer: String, from object: JSONValue) -> JSONValue? {
        let finalizers = object[path: ["metadata", "finalizers"]]?.array ?? []
        guard finalizers.contains(.string(finalizer)) else { return nil }
        let rest = finalizers.filter { $0 != .string(finalizer) }
        return .object(["metadata": .object([
            "resourceVersion": object[path: ["metadata", "resourceVersion"]] ?? .null,
            "finalizers": rest.isEmpty ? .null : .array(rest),
        ])])
    }
}
