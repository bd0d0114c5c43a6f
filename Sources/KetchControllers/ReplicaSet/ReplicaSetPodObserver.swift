import KubeCore

/// Turns pod events into observed expectations, as upstream's `addPod`, `updatePod` and
/// `deletePod` handlers do: a new pod of ours is an expected creation seen; a pod going away (or
/// getting a deletionTimestamp) is an expected deletion seen.
struct ReplicaSetPodObserver: Sendable {
    /// ReplicaSets or ReplicationControllers.
    let flavor: ReplicaSetFlavor
    /// The controllers' cache, to check a pod's controller reference against.
    let owners: Informer
    /// Where observations go.
    let expectations: ControllerExpectations

    /// Records what `event` means for the expectations.
    func observe(_ event: InformerEvent) {
        switch event {
        case .added(let pod):
            if ObjectMetadata.isDeleting(pod) {
                deletionSeen(pod)
            } else if let key = ownerKey(of: pod) {
                expectations.creationObserved(key)
            }
        case .updated(let old, let new):
            guard ObjectMetadata.isDeleting(new) else { return }
            deletionSeen(new)
            if ObjectMetadata.labels(old) != ObjectMetadata.labels(new) { deletionSeen(old) }
        case .deleted(let pod):
            deletionSeen(pod)
        }
    }

    private func deletionSeen(_ pod: JSONValue) {
        guard let key = ownerKey(of: pod) else { return }
        expectations.deletionObserved(key, podKey: ObjectMetadata.key(pod))
    }

    /// The key of the cached controller the pod's controller reference names (same uid).
    private func ownerKey(of pod: JSONValue) -> String? {
        guard let ref = OwnerReferences.controllerRef(of: pod), ref.kind == flavor.type.kind else { return nil }
        let key = ObjectKey(namespace: ObjectMetadata.namespace(pod), name: ref.name)
        guard let owner = owners.get(key), ObjectMetadata.uid(owner) == ref.uid else { return nil }
        return key.description
    }
}
