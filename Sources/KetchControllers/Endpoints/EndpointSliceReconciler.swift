import KubeClient
import KubeCore

/// kube-controller-manager's `endpointslice-controller`: for every Service with a selector,
/// discovery.k8s.io/v1 EndpointSlices named `<service>-<random>`, labelled with the service
/// name and `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io` and
/// controlled by the Service, holding the matching pods' addresses with their ready, serving
/// and terminating conditions. Slices the apiserver writes for selectorless Services (such as
/// `kubernetes`) carry no managed-by label and are never touched.
public struct EndpointSliceReconciler: Reconciler {
    /// The catalogue entry.
    public static let descriptor = ControllerDescriptor("endpointslice-controller", aliases: ["endpointslice"]) { context in
        let reconciler = EndpointSliceReconciler(informers: context.informers)
        let tracker = reconciler.tracker
        reconciler.slices.addHandler { event in
            if case .deleted(let slice) = event { tracker.observedDeletion(slice) }
        }
        return [ControllerLoop(name: "endpointslice-controller", reconciler: reconciler, context: context)]
    }

    let membership: ServiceMembership
    let slices: Informer
    let nodes: Informer
    let triggerTimes = TriggerTimeTracker()
    let tracker = EndpointSliceTracker()

    /// A reconciler reading the shared informers of `informers`.
    public init(informers: InformerFactory) {
        membership = ServiceMembership(informers: informers)
        slices = informers.informer(BuiltinResources.endpointSlices)
        nodes = informers.informer(BuiltinResources.nodes)
    }

    /// Services: each key is one Service.
    public var primary: ResourceType { BuiltinResources.services }

    /// What else wakes a Service.
    public var secondary: [SecondaryWatch] {
        [
            membership.podWatch,
            SecondaryWatch(BuiltinResources.endpointSlices) { slice in
                guard ObjectMetadata.labels(slice)[EndpointSliceLabels.managedBy] == EndpointSliceLabels.controllerName else { return [] }
                return EndpointSliceTracker.service(of: slice).map { [$0] } ?? []
            },
            // Nodes wake nothing; watching them makes the loop wait for their cache, which
            // says where each pod runs.
            SecondaryWatch(BuiltinResources.nodes) { _ in [] },
        ]
    }

    /// Brings the Service's endpoints in line with its pods.
    public func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        let object: JSONValue, service: ServiceSpec, selected: [JSONValue]
        switch membership.selection(key) {
        case .gone:
            // Its slices go with it: the garbage collector follows their owner reference.
            triggerTimes.forget(namespace: key.namespace ?? "", name: key.name)
            tracker.forget(key)
            return .done
        case .unmanaged:
            return .done
        case .selected(let found, let spec, let pods):
            (object, service, selected) = (found, spec, pods)
        }
        let existing = slices.list(namespace: service.namespace).filter { slice in
            let labels = ObjectMetadata.labels(slice)
            return labels[EndpointSliceLabels.serviceName] == service.name
                && labels[EndpointSliceLabels.managedBy] == EndpointSliceLabels.controllerName
                && !ObjectMetadata.isDeleting(slice)
        }
        if tracker.isStale(existing, service: key) {
            throw StaleInformerCache(message: "EndpointSlice informer cache is out of date")
        }
        let triggerTime = triggerTimes.compute(service, pods: selected)
        let plan = EndpointSlicePlanner.plan(service: object, pods: selected, existing: existing,
                                             nodeLabels: { name in nodes.get(ObjectKey(namespace: nil, name: name)).map(ObjectMetadata.labels) },
                                             triggerTime: triggerTime)
        do {
            try await apply(plan, service: service, key: key, context: context)
        } catch {
            context.events.record(object, type: "Warning", reason: "FailedToUpdateEndpointSlices",
                                  message: "Error updating Endpoint Slices for Service \(service.namespace)/\(service.name): \(APIErrors.message(error))")
            throw error
        }
        if !plan.skipped.isEmpty {
            let message = plan.skipped.joined(separator: ", ")
            context.events.record(object, type: "Warning", reason: "FailedToUpdateEndpointSlices",
                                  message: "Error updating Endpoint Slices for Service \(service.namespace)/\(service.name): \(message)")
            throw SliceWriteFailed(message: message)
        }
        return .done
    }

    /// Creates, updates and deletes as planned (`finalize`).
    private func apply(_ plan: EndpointSlicePlan, service: ServiceSpec, key: ObjectKey, context: ControllerContext) async throws {
        let type = BuiltinResources.endpointSlices
        for slice in plan.create {
            do {
                tracker.written(try await context.api.create(type, namespace: service.namespace, slice), service: key)
            } catch where APIErrors.isNamespaceTerminating(error) {
                return
            } catch {
                throw SliceWriteFailed(message: "failed to create EndpointSlice for Service \(service.namespace)/\(service.name): \(APIErrors.message(error))")
            }
        }
        for slice in plan.update {
            do {
                tracker.written(try await context.api.update(type, namespace: service.namespace, slice), service: key)
            } catch {
                throw SliceWriteFailed(message: "failed to update \(ObjectMetadata.name(slice)) EndpointSlice for Service \(service.namespace)/\(service.name): \(APIErrors.message(error))")
            }
        }
        for slice in plan.delete {
            do {
                try await context.api.delete(type, namespace: service.namespace, name: ObjectMetadata.name(slice), options: KubeDeleteOptions())
                tracker.deleted(slice, service: key)
            } catch where APIErrors.isNotFound(error) {
                continue
            } catch {
                throw SliceWriteFailed(message: "failed to delete \(ObjectMetadata.name(slice)) EndpointSlice for Service \(service.namespace)/\(service.name): \(APIErrors.message(error))")
            }
        }
    }

    /// A write of the plan failed, or pods were left out; the Service is retried.
    struct SliceWriteFailed: Error, CustomStringConvertible {
        /// Upstream's message.
        var message: String
        var description: String { message }
    }
}
