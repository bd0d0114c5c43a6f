import KubeCore

/// `metadata.ownerReferences`, as controllers read and write them.
public enum OwnerReferences {
    /// One owner reference.
    public struct Reference: Sendable, Hashable {
        /// The owner's `apiVersion`.
        public var apiVersion: String
        /// The owner's kind.
        public var kind: String
        /// The owner's name.
        public var name: String
        /// The owner's uid.
        public var uid: String
        /// Whether this owner is the managing controller.
        public var controller: Bool
        /// Whether foreground deletion of the owner waits for this object.
        public var blockOwnerDeletion: Bool
    }

    /// Every owner reference of `object`.
    public static func all(of object: JSONValue) -> [Reference] {
        (object["metadata"]?["ownerReferences"]?.array ?? []).compactMap { ref in
            guard let kind = ref["kind"]?.string, let name = ref["name"]?.string else { return nil }
            return Reference(apiVersion: ref["apiVersion"]?.string ?? "", kind: kind, name: name,
                             uid: ref["uid"]?.string ?? "", controller: ref["controller"]?.bool ?? false,
                             blockOwnerDeletion: ref["blockOwnerDeletion"]?.bool ?? false)
        }
    }

    /// The reference with `controller: true`, if any.
    public static func controllerRef(of object: JSONValue) -> Reference? {
        all(of: object).first { $0.controller }
    }

    /// Whether `object`'s controller is `owner` (same uid).
    public static func isControlled(_ object: JSONValue, by owner: JSONValue) -> Bool {
        guard let uid = owner["metadata"]?["uid"]?.string else { return false }
        return controllerRef(of: object)?.uid == uid
    }

    /// A controller reference to `owner`, of resource `type`, as upstream's
    /// `metav1.NewControllerRef`: controller and blockOwnerDeletion true.
    public static func controller(for owner: JSONValue, type: ResourceType) -> JSONValue {
        .object([
            "apiVersion": .string(type.apiVersion),
            "kind": .string(type.kind),
            "name": owner["metadata"]?["name"] ?? .string(""),
            "uid": owner["metadata"]?["uid"] ?? .string(""),
            "controller": .bool(true),
            "blockOwnerDeletion": .bool(true),
        ])
    }
}
