import KubeCore

/// The Services the endpoint controllers serve and the pods each selects, read from the shared
/// informers. A Pod's change concerns the Services in its namespace whose selector matches its
/// labels (endpointslice util `getServicesForPod`); the controller loop asks with both the old
/// and the new pod, so a relabelled pod wakes the Services it left and joined.
struct ServiceMembership: Sendable {
    /// What a Service key stands for now.
    enum Selection {
        /// The Service no longer exists.
        case gone
        /// It exists but gets no endpoints from the controllers (no selector, or ExternalName).
        case unmanaged
        /// It exists, as `object`, and selects `pods`.
        case selected(object: JSONValue, service: ServiceSpec, pods: [JSONValue])
    }

    /// The Services.
    let services: Informer
    /// The pods.
    let pods: Informer

    /// Membership read from the shared informers of `informers`.
    init(informers: InformerFactory) {
        services = informers.informer(BuiltinResources.services)
        pods = informers.informer(BuiltinResources.pods)
    }

    /// The Service at `key` and, when the controllers serve it, the pods it selects.
    func selection(_ key: ObjectKey) -> Selection {
        guard let object = services.get(key) else { return .gone }
        let service = ServiceSpec(object)
        guard service.isManaged else { return .unmanaged }
        return .selected(object: object, service: service, pods: pods.list(namespace: service.namespace).filter(service.selects))
    }

    /// A watch of pods waking the Services that select them.
    var podWatch: SecondaryWatch {
        let services = services
        return SecondaryWatch(BuiltinResources.pods) { pod in
            Self.services(selecting: pod, among: services.list(namespace: ObjectMetadata.namespace(pod)))
        }
    }

    /// The keys of the Services among `services` that select `pod`.
    static func services(selecting pod: JSONValue, among services: [JSONValue]) -> [ObjectKey] {
        services.filter { ServiceSpec($0).selects(pod) }.map(ObjectKey.init)
    }
}
