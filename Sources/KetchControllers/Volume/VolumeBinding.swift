import KubeCore

/// The writes that pair a claim with a volume, as upstream's `bindVolumeToClaim`,
/// `bindClaimToVolume` and `updateClaimStatus` make them.
public enum VolumeBinding {
    /// The volume pointing at `claim` through `spec.claimRef`; a volume the binder chose (rather
    /// than one pre-bound by its author) is annotated `bound-by-controller`.
    public static func volume(_ volume: JSONValue, boundTo claim: JSONValue) -> JSONValue {
        var bound = volume
        let hadRef = volume[path: ["spec", "claimRef"]].map { !$0.isNull } ?? false
        var ref: [String: JSONValue] = [
            "apiVersion": .string("v1"),
            "kind": .string("PersistentVolumeClaim"),
            "namespace": .string(ObjectMetadata.namespace(claim)),
            "name": .string(ObjectMetadata.name(claim)),
            "uid": .string(ObjectMetadata.uid(claim)),
        ]
        if let version = claim[path: ["metadata", "resourceVersion"]] { ref["resourceVersion"] = version }
        bound["spec"]?["claimRef"] = .object(ref)
        if !hadRef { annotate(&bound, VolumeWellKnown.boundByController) }
        return bound
    }

    /// The claim naming `volume` in `spec.volumeName`, annotated `bind-completed` (and
    /// `bound-by-controller` when the binder chose the volume).
    public static func claim(_ claim: JSONValue, boundTo volume: JSONValue) -> JSONValue {
        var bound = claim
        let chosen = (claim[path: ["spec", "volumeName"]]?.string ?? "").isEmpty
        bound["spec"]?["volumeName"] = .string(ObjectMetadata.name(volume))
        annotate(&bound, VolumeWellKnown.bindCompleted)
        if chosen { annotate(&bound, VolumeWellKnown.boundByController) }
        return bound
    }

    /// The claim's status once bound: phase `Bound`, and the volume's access modes and capacity.
    public static func boundStatus(_ claim: JSONValue, volume: JSONValue) -> JSONValue {
        var status = claim["status"]?.object ?? [:]
        status["phase"] = .string("Bound")
        status["accessModes"] = volume[path: ["spec", "accessModes"]] ?? .array([])
        status["capacity"] = volume[path: ["spec", "capacity"]] ?? .object([:])
        return .object(status)
    }

    /// Whether the claim already says it is bound to `volume`, annotations, status and all.
    public static func claimIsBound(_ claim: JSONValue, to volume: JSONValue) -> Bool {
        claim[path: ["spec", "volumeName"]]?.string == ObjectMetadata.name(volume)
            && ObjectMetadata.annotations(claim)[VolumeWellKnown.bindCompleted] == "yes"
            && claim[path: ["status", "phase"]]?.string == "Bound"
    }

    /// `annotations[key] = "yes"`.
    static func annotate(_ object: inout JSONValue, _ key: String, _ value: String = "yes") {
        var metadata = object["metadata"] ?? .object([:])
        var annotations = metadata["annotations"]?.object ?? [:]
        annotations[key] = .string(value)
        metadata["annotations"] = .object(annotations)
        object["metadata"] = metadata
    }
}
