import KubeCore

/// Upstream's `findBestMatchForClaim` for pre-made PersistentVolumes: a volume pre-bound to the
/// claim wins; otherwise the smallest available volume of the claim's class and volume mode
/// that offers every access mode asked for, at least the size asked for, and the labels the
/// claim's selector wants.
public enum VolumeMatch {
    /// The volume to bind `claim` to, if any.
    public static func best(for claim: JSONValue, among volumes: [JSONValue]) -> JSONValue? {
        let wanted = ClaimSpec(claim)
        var best: (volume: JSONValue, size: Int64)?
        for volume in volumes where !ObjectMetadata.isDeleting(volume) {
            if let ref = volume[path: ["spec", "claimRef"]], !ref.isNull {
                guard refers(ref, to: wanted) else { continue }
                if satisfies(volume, wanted) { return volume }
                continue
            }
            // New volumes are Pending until the binder marks them Available.
            guard ["", "Pending", "Available"].contains(volume[path: ["status", "phase"]]?.string ?? ""),
                  satisfies(volume, wanted), wanted.selector.matches(ObjectMetadata.labels(volume)) else { continue }
            let size = capacity(of: volume)
            if best == nil || size < best!.size { best = (volume, size) }
        }
        return best?.volume
    }

    /// Whether `ref` (a volume's `spec.claimRef`) names `claim`: same namespace and name, and
    /// the same uid unless the reference has none (a volume pre-bound by name).
    public static func refers(_ ref: JSONValue, to claim: ClaimSpec) -> Bool {
        guard ref["namespace"]?.string == claim.namespace, ref["name"]?.string == claim.name else { return false }
        let uid = ref["uid"]?.string ?? ""
        return uid.isEmpty || uid == claim.uid
    }

    /// `checkVolumeSatisfyClaim`: class, volume mode, access modes and size.
    static func satisfies(_ volume: JSONValue, _ claim: ClaimSpec) -> Bool {
        let spec = volume["spec"] ?? .object([:])
        let volumeClass = volume[path: ["metadata", "annotations", "volume.beta.kubernetes.io/storage-class"]]?.string
            ?? spec["storageClassName"]?.string ?? ""
        let modes = Set((spec["accessModes"]?.array ?? []).compactMap(\.string))
        return volumeClass == claim.className && (spec["volumeMode"]?.string ?? "Filesystem") == claim.volumeMode
            && claim.accessModes.allSatisfy(modes.contains) && capacity(of: volume) >= claim.requestBytes
    }

    /// `spec.capacity.storage` in bytes.
    static func capacity(of volume: JSONValue) -> Int64 {
        volume[path: ["spec", "capacity", "storage"]].flatMap { Quantity(json: $0) }?.int64Value ?? 0
    }
}
