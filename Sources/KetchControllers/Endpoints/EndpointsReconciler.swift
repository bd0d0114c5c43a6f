import KubeClient
import KubeCore

/// kube-controller-manager's `endpoints-controller`: for every Service with a selector, an
/// Endpoints object of the same name listing the matching pods' addresses, ready ones under
/// `addresses` and the others under `notReadyAddresses`, with the Service's ports resolved
/// against the pods' container ports. Services without a selector (such as `kubernetes`, whose
/// Endpoints the apiserver keeps) are left alone; a deleted Service's Endpoints are deleted.
public struct EndpointsReconciler: Reconciler {
    /// The catalogue entry.
    public static let descriptor = ControllerDescriptor("endpoints-controller", aliases: ["endpoint"]) { context in
        [ControllerLoop(name: "endpoints-controller", reconciler: EndpointsReconciler(informers: context.informers), context: context)]
    }

    let membership: ServiceMembership
    let endpoints: Informer
    let triggerTimes = TriggerTimeTracker()
    let stale = StaleEndpointsTracker()

    /// A reconciler reading the shared informers of `informers`.
    public init(informers: InformerFactory) {
        membership = ServiceMembership(informers: informers)
        endpoints = informers.informer(BuiltinResources.endpoints)
    }

    /// Services: each key is one Service.
    public var primary: ResourceType { BuiltinResources.services }

    /// What else wakes a Service.
    public var secondary: [SecondaryWatch] {
        // Endpoints wake their Service only when deleted (to be recreated): the informer has
        // already dropped a deleted object when the watch maps it.
        let endpoints = endpoints
        return [
            membership.podWatch,
            SecondaryWatch(BuiltinResources.endpoints) { object in endpoints.get(ObjectKey(object)) == nil ? [ObjectKey(object)] : [] },
        ]
    }

    /// Brings the Service's endpoints in line with its pods.
    public func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        let type = BuiltinResources.endpoints
        let service: ServiceSpec, selected: [JSONValue]
        switch membership.selection(key) {
        case .gone:
            // The Service is gone; so go its Endpoints.
            do {
                try await context.api.delete(type, namespace: key.namespace, name: key.name, options: KubeDeleteOptions())
            } catch where APIErrors.isNotFound(error) {}
            triggerTimes.forget(namespace: key.namespace ?? "", name: key.name)
            stale.forget(key)
            return .done
        case .unmanaged:
            return .done
        case .selected(_, let spec, let pods):
            (service, selected) = (spec, pods)
        }
        // Computed on every sync, so the tracker's state moves on even when nothing is written.
        let triggerTime = triggerTimes.compute(service, pods: selected)
        let subsets = EndpointsBuilder.subsets(for: service, pods: selected)
        let current = endpoints.get(key)
        if let current, stale.isStale(current) {
            throw StaleInformerCache(message: "endpoints informer cache is out of date, resource version \(current[path: ["metadata", "resourceVersion"]]?.string ?? "") already processed for endpoints \(key)")
        }
        guard let desired = EndpointsBuilder.desired(current: current, service: service, subsets: subsets, triggerTime: triggerTime) else {
            return .done
        }
        do {
            if let current {
                let updated = try await context.api.update(type, namespace: service.namespace, desired)
                if updated[path: ["metadata", "resourceVersion"]] != current[path: ["metadata", "resourceVersion"]] {
                    stale.markStale(current)
                }
            } else {
                _ = try await context.api.create(type, namespace: service.namespace, desired)
            }
        } catch {
            if current == nil, APIErrors.isNamespaceTerminating(error) { return .done }
            let message = APIErrors.message(error)
            if current == nil {
                context.events.record(desired, type: "Warning", reason: "FailedToCreateEndpoint",
                                      message: "Failed to create endpoint for service \(service.namespace)/\(service.name): \(message)")
            } else {
                context.events.record(desired, type: "Warning", reason: "FailedToUpdateEndpoint",
                                      message: "Failed to update endpoint \(service.namespace)/\(service.name): \(message)")
            }
            throw error
        }
        return .done
    }
}
