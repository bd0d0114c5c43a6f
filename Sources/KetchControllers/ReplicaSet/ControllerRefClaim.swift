import KubeCore

/// What a controller does with one candidate object (a Pod for a ReplicaSet, a ReplicaSet for a
/// Deployment), as upstream's `BaseControllerRefManager.ClaimObject` decides it.
public enum ClaimDecision: Sendable, Equatable {
    /// Already ours and still selected: keep it.
    case owned
    /// An orphan the selector matches: take it by adding our controller reference.
    case adopt
    /// Ours but no longer selected: let it go by removing our controller reference.
    case release
    /// Someone else's, or not for us: leave it alone.
    case ignore

    /// Whether the object counts as the controller's once the decision is carried out.
    public var claims: Bool { self == .owned || self == .adopt }
}

/// Adoption and release of objects by a controller through `metadata.ownerReferences`.
public enum ControllerRefClaim {
    /// Decides what `controller` does with `object`, given whether its selector `matches` it.
    /// A controller being deleted neither adopts nor releases; objects being deleted and objects
    /// of another namespace are never adopted.
    public static func decide(_ object: JSONValue, controller: JSONValue, matches: Bool) -> ClaimDecision {
        let controllerUID = ObjectMetadata.uid(controller)
        let controllerDeleting = ObjectMetadata.isDeleting(controller)
        if let ref = OwnerReferences.controllerRef(of: object) {
            guard ref.uid == controllerUID else { return .ignore }
            if matches { return .owned }
            return controllerDeleting ? .ignore : .release
        }
        guard !controllerDeleting, matches, !ObjectMetadata.isDeleting(object) else { return .ignore }
        let namespace = ObjectMetadata.namespace(controller)
        if !namespace.isEmpty, namespace != ObjectMetadata.namespace(object) { return .ignore }
        return .adopt
    }

    /// The strategic merge patch that adopts `object` for `controller` (of resource
    /// `controllerType`): it adds the controller reference, and its `metadata.uid` makes the
    /// patch fail if the object was replaced meanwhile, as upstream's `ownerRefControllerPatch`.
    public static func adoptPatch(_ object: JSONValue, controller: JSONValue, controllerType: ResourceType) -> JSONValue {
        .object(["metadata": .object([
            "ownerReferences": .array([OwnerReferences.controller(for: controller, type: controllerType)]),
            "uid": object[path: ["metadata", "uid"]] ?? .string(""),
        ])])
    }

    /// The strategic merge patch that releases `object`: it deletes the reference to
    /// `controller` by uid (upstream's `GenerateDeleteOwnerRefStrategicMergeBytes`).
    public static func releasePatch(_ object: JSONValue, controller: JSONValue) -> JSONValue {
        .object(["metadata": .object([
            "ownerReferences": .array([.object([
                "$patch": .string("delete"),
                "uid": controller[path: ["metadata", "uid"]] ?? .string(""),
            ])]),
            "uid": object[path: ["metadata", "uid"]] ?? .string(""),
        ])])
    }
}
