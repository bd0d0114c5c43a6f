import KubeCore

/// What the binder does for one PersistentVolume, as upstream's `syncVolume` decides it: an
/// unclaimed volume is Available, a bound one Bound, and one whose claim is gone is Released and
/// then, under the `Delete` reclaim policy, deleted.
public enum VolumeSyncStep: Sendable, Equatable {
    /// Nothing to change.
    case none
    /// Set `status.phase`.
    case setPhase(String)
    /// Drop the claim reference the binder had set (its claim went to another volume).
    case unbind
    /// The claim is gone: mark the volume Released, then delete it when `delete`.
    case release(delete: Bool)

    /// The step for `volume`, whose `spec.claimRef` names `claim` (nil when that claim does not
    /// exist).
    public static func decide(_ volume: JSONValue, claim: JSONValue?) -> VolumeSyncStep {
        if ObjectMetadata.isDeleting(volume) { return .none }
        let phase = volume[path: ["status", "phase"]]?.string ?? ""
        func ensure(_ wanted: String) -> VolumeSyncStep { phase == wanted ? .none : .setPhase(wanted) }
        guard let ref = volume[path: ["spec", "claimRef"]], !ref.isNull else { return ensure("Available") }
        let refUID = ref["uid"]?.string ?? ""
        guard let claim, refUID.isEmpty || ObjectMetadata.uid(claim) == refUID else {
            // A reference without a uid waits for its claim; one with a uid has lost it.
            if refUID.isEmpty { return ensure("Available") }
            let reclaim = volume[path: ["spec", "persistentVolumeReclaimPolicy"]]?.string ?? "Retain"
            return reclaim == "Delete" || phase != "Released" ? .release(delete: reclaim == "Delete") : .none
        }
        let claimed = claim[path: ["spec", "volumeName"]]?.string ?? ""
        if claimed.isEmpty { return refUID.isEmpty ? ensure("Available") : .none }
        if claimed == ObjectMetadata.name(volume) { return ensure("Bound") }
        return ObjectMetadata.annotations(volume)[VolumeWellKnown.boundByController] == "yes" ? .unbind : ensure("Available")
    }
}
