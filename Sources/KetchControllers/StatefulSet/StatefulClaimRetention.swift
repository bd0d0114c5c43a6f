import KubeCore

/// `spec.persistentVolumeClaimRetentionPolicy` carried out through owner references, as
/// upstream's `isClaimOwnerUpToDate` and `updateClaimOwnerRefForSetAndPod` do. The garbage
/// collector then deletes a claim when its owner goes:
///
/// | whenScaled | whenDeleted | owner references of a claim                       |
/// |------------|-------------|---------------------------------------------------|
/// | Retain     | Retain      | none                                              |
/// | Retain     | Delete      | the set                                           |
/// | Delete     | Retain      | the pod, once it is scaled away                   |
/// | Delete     | Delete      | the set; the pod instead once it is scaled away   |
///
/// A claim with a stale reference (same name, other uid) or another controller is left alone.
public enum StatefulClaimRetention {
    private static let retain = "Retain"
    private static let delete = "Delete"

    /// Whether the owner references of `claim` already say what the policy wants for `pod`.
    public static func isUpToDate(_ claim: JSONValue, set: JSONValue, pod: JSONValue) -> Bool {
        if hasStaleReference(claim, to: set, kind: "StatefulSet") || hasStaleReference(claim, to: pod, kind: "Pod") {
            return true
        }
        if hasUnexpectedController(claim, set: set, pod: pod) {
            return !(references(claim, owner: set) || references(claim, owner: pod))
        }
        if hasNonControllerOwner(claim, set: set, pod: pod) { return false }
        let spec = StatefulSetSpec(set)
        let scaledDown = !spec.inRange(StatefulPodIdentity.ordinal(of: pod))
        let refSet = references(claim, owner: set), refPod = references(claim, owner: pod)
        switch (spec.whenScaled, spec.whenDeleted) {
        case (retain, delete):
            return refSet && !refPod
        case (delete, retain):
            return !refSet && scaledDown == refPod
        case (delete, delete):
            return scaledDown != refSet && scaledDown == refPod
        default:
            // Retain/Retain, and unknown policies, which upstream treats as Retain.
            return !refSet && !refPod
        }
    }

    /// The owner references `claim` should have for `pod` under `set`'s policy: ours scrubbed,
    /// then the set's or the pod's controller reference added as the table above says.
    public static func ownerReferences(_ claim: JSONValue, set: JSONValue, pod: JSONValue) -> [JSONValue] {
        let unexpected = hasUnexpectedController(claim, set: set, pod: pod)
        var refs = (claim[path: ["metadata", "ownerReferences"]]?.array ?? []).filter {
            !matches($0, set, kind: "StatefulSet") && !matches($0, pod, kind: "Pod")
        }
        if unexpected { return refs }
        let spec = StatefulSetSpec(set)
        let scaledDown = !spec.inRange(StatefulPodIdentity.ordinal(of: pod))
        switch (spec.whenScaled, spec.whenDeleted) {
        case (retain, delete):
            add(set, type: BuiltinResources.statefulSets, to: &refs)
        case (delete, retain):
            if scaledDown { add(pod, type: BuiltinResources.pods, to: &refs) }
        case (delete, delete):
            if scaledDown { add(pod, type: BuiltinResources.pods, to: &refs) } else { add(set, type: BuiltinResources.statefulSets, to: &refs) }
        default:
            break
        }
        return refs
    }

    /// `PodClaimIsStale`: with `whenScaled: Delete`, a claim still referencing an earlier pod of
    /// the same name must go (the garbage collector is on it) before the pod is made again.
    public static func isStale(_ claim: JSONValue, set: JSONValue, pod: JSONValue) -> Bool {
        StatefulSetSpec(set).whenScaled != retain && hasStaleReference(claim, to: pod, kind: "Pod")
    }

    /// `hasUnexpectedController`: under a policy that deletes, a controller of the claim other
    /// than the set and the pod, or a reference to them with another uid.
    public static func hasUnexpectedController(_ claim: JSONValue, set: JSONValue, pod: JSONValue) -> Bool {
        let spec = StatefulSetSpec(set)
        if spec.whenScaled == retain && spec.whenDeleted == retain { return false }
        for ref in claim[path: ["metadata", "ownerReferences"]]?.array ?? [] {
            if matches(ref, set, kind: "StatefulSet") {
                if ref["uid"]?.string != ObjectMetadata.uid(set) { return true }
                continue
            }
            if matches(ref, pod, kind: "Pod") {
                if ref["uid"]?.string != ObjectMetadata.uid(pod) { return true }
                continue
            }
            if ref["controller"]?.bool == true { return true }
        }
        return false
    }

    private static func hasNonControllerOwner(_ claim: JSONValue, set: JSONValue, pod: JSONValue) -> Bool {
        let uids = [ObjectMetadata.uid(set), ObjectMetadata.uid(pod)]
        return OwnerReferences.all(of: claim).contains { uids.contains($0.uid) && !$0.controller }
    }

    /// `matchesRef`: same apiVersion, kind and name (whatever the uid).
    private static func matches(_ ref: JSONValue, _ object: JSONValue, kind: String) -> Bool {
        let apiVersion = kind == "Pod" ? "v1" : "apps/v1"
        return ref["apiVersion"]?.string == apiVersion && ref["kind"]?.string == kind
            && ref["name"]?.string == ObjectMetadata.name(object)
    }

    /// `hasOwnerRef`: a reference with the owner's uid.
    private static func references(_ claim: JSONValue, owner: JSONValue) -> Bool {
        let uid = ObjectMetadata.uid(owner)
        return OwnerReferences.all(of: claim).contains { $0.uid == uid }
    }

    /// `hasStaleOwnerRef`: the first reference naming the object has another uid.
    private static func hasStaleReference(_ claim: JSONValue, to object: JSONValue, kind: String) -> Bool {
        guard let ref = (claim[path: ["metadata", "ownerReferences"]]?.array ?? []).first(where: { matches($0, object, kind: kind) }) else {
            return false
        }
        return ref["uid"]?.string != ObjectMetadata.uid(object)
    }

    /// `addControllerRef`: unless a reference with the owner's uid is there already.
    private static func add(_ owner: JSONValue, type: ResourceType, to refs: inout [JSONValue]) {
        let uid = ObjectMetadata.uid(owner)
        if refs.contains(where: { $0["uid"]?.string == uid }) { return }
        refs.append(OwnerReferences.controller(for: owner, type: type))
    }
}
