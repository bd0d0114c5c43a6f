import KubeCore

extension SecondaryWatch {
    /// Watches `type`, waking the controller of each changed object when it is a `kind`, and
    /// for an orphan every object in `owners` whose `spec.selector` matches it, so one of them
    /// adopts it (upstream's `getPodDaemonSets`, `getPodStatefulSets`).
    static func owner(_ type: ResourceType, kind: String, orSelecting owners: Informer) -> SecondaryWatch {
        SecondaryWatch(type) { object in
            let namespace = ObjectMetadata.namespace(object)
            if let ref = OwnerReferences.controllerRef(of: object) {
                return ref.kind == kind ? [ObjectKey(namespace: namespace, name: ref.name)] : []
            }
            let labels = ObjectMetadata.labels(object)
            return owners.list(namespace: namespace).filter { owner in
                (try? LabelSelector(json: owner[path: ["spec", "selector"]] ?? .null))?.matches(labels) ?? false
            }.map { ObjectKey($0) }
        }
    }
}
