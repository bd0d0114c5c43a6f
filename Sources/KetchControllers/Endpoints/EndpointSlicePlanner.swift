import Foundation
import KubeCore

/// The writes that bring one Service's EndpointSlices in line with its pods.
struct EndpointSlicePlan: Sendable {
    /// Slices to create (no name yet: `generateName`).
    var create: [JSONValue] = []
    /// Slices to update.
    var update: [JSONValue] = []
    /// Slices to delete.
    var delete: [JSONValue] = []
    /// Pods left out because their Node is unknown (upstream's error messages); the Service is
    /// retried until the Node appears or the pod goes.
    var skipped: [String] = []
}

/// The EndpointSlice reconciler of k8s.io/endpointslice (reconciler.go) as a pure function:
/// endpoints are grouped by address type and by the ports their pods resolve, kept in the
/// slices that already hold them, and new ones fill partly used slices before new slices are
/// made; at most ``maxEndpointsPerSlice`` endpoints per slice. A Service with no endpoints keeps
/// one empty placeholder slice.
enum EndpointSlicePlanner {
    /// `--max-endpoints-per-slice`'s default.
    static let maxEndpointsPerSlice = 100

    /// The plan for `service` (the Service object) selecting `pods`, given the slices this
    /// controller manages for it (`existing`, none being deleted) and the labels of each Node
    /// (nil: no such Node).
    static func plan(service: JSONValue, pods: [JSONValue], existing: [JSONValue], nodeLabels: (String) -> [String: String]?,
                     triggerTime: Date?, maxEndpointsPerSlice: Int = maxEndpointsPerSlice) -> EndpointSlicePlan {
        let spec = ServiceSpec(service)
        let types = addressTypes(spec)
        var plan = EndpointSlicePlan()
        var byType: [String: [JSONValue]] = [:]
        for slice in existing.sorted(by: { ObjectMetadata.name($0) < ObjectMetadata.name($1) }) {
            let type = slice["addressType"]?.string ?? ""
            if types.contains(type) { byType[type, default: []].append(slice) } else { plan.delete.append(slice) }
        }
        let sortedPods = pods.sorted { ObjectMetadata.name($0) < ObjectMetadata.name($1) }
        for type in types {
            var planner = AddressTypePlanner(service: spec, addressType: type, max: maxEndpointsPerSlice)
            planner.run(pods: sortedPods, existing: byType[type] ?? [], nodeLabels: nodeLabels)
            plan.create += spec.isDeleting ? [] : planner.create.map { $0.materialized(triggerTime: triggerTime) }
            plan.update += planner.update.map { $0.materialized(triggerTime: triggerTime) }
            plan.delete += planner.delete
            plan.skipped += planner.skipped
        }
        return plan
    }

    /// The address types a Service's slices have (`getAddressTypesForService`): its IP
    /// families; else its cluster IP's family; else, headless with no families, both.
    static func addressTypes(_ service: ServiceSpec) -> [String] {
        let families = Set(service.ipFamilies.filter { $0 == "IPv4" || $0 == "IPv6" })
        if !families.isEmpty { return families.sorted() }
        if !service.isHeadless { return [PodEndpointInfo.isIPv6(service.clusterIP) ? "IPv6" : "IPv4"] }
        return ["IPv4", "IPv6"]
    }
}

/// Desired endpoints keyed by identity, popped in insertion order (upstream's `EndpointSet`).
struct EndpointSet: Sendable {
    private var order: [SliceEndpoint.Identity] = []
    private var items: [SliceEndpoint.Identity: SliceEndpoint] = [:]
    private var head = 0

    /// How many are left.
    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }

    /// Adds or replaces an endpoint.
    mutating func insert(_ endpoint: SliceEndpoint) {
        let key = endpoint.identity
        if items.updateValue(endpoint, forKey: key) == nil { order.append(key) }
    }

    /// The desired version of the endpoint with `identity`.
    func get(_ identity: SliceEndpoint.Identity) -> SliceEndpoint? { items[identity] }

    /// Removes the endpoint with `identity`.
    mutating func remove(_ identity: SliceEndpoint.Identity) { items.removeValue(forKey: identity) }

    /// Removes and returns the earliest endpoint still present.
    mutating func popFirst() -> SliceEndpoint? {
        while head < order.count {
            let key = order[head]
            head += 1
            if let endpoint = items.removeValue(forKey: key) { return endpoint }
        }
        return nil
    }
}
