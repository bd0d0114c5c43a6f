import Foundation
import KubeCore

/// An EndpointSlice being planned: an existing slice or a new one, with the endpoints and
/// labels it should end up with.
struct EndpointSliceDraft: Sendable {
    /// The slice as stored (or, for a new one, as it will be created).
    var object: JSONValue
    /// Its endpoints, in order.
    var endpoints: [SliceEndpoint]
    /// New labels; nil keeps the stored ones.
    var labels: [String: String]?

    /// The draft of an existing slice.
    init(existing: JSONValue, endpoints: [SliceEndpoint]? = nil, labels: [String: String]? = nil) {
        object = existing
        self.endpoints = endpoints ?? Self.endpoints(of: existing)
        self.labels = labels
    }

    /// A new, empty slice for `service` with `ports` (`newEndpointSlice`): named by
    /// `generateName`, controlled by the Service.
    init(newFor service: ServiceSpec, ports: [SlicePort], addressType: String) {
        let owner: JSONValue = .object([
            "apiVersion": .string("v1"), "kind": .string("Service"), "name": .string(service.name),
            "uid": .string(service.uid), "controller": .bool(true), "blockOwnerDeletion": .bool(true),
        ])
        object = .object([
            "apiVersion": .string("discovery.k8s.io/v1"),
            "kind": .string("EndpointSlice"),
            "metadata": .object([
                "generateName": .string(service.name + "-"),
                "namespace": .string(service.namespace),
                "labels": .object(EndpointSliceLabels.labels(for: [:], service: service).labels.mapValues(JSONValue.string)),
                "ownerReferences": .array([owner]),
            ]),
            "addressType": .string(addressType),
            "endpoints": .array([]),
            "ports": .array(ports.map(\.json)),
        ])
        endpoints = []
        labels = nil
    }

    /// The stored name; empty for a slice not created yet.
    var name: String { ObjectMetadata.name(object) }

    /// `addressType`.
    var addressType: String { object["addressType"]?.string ?? "" }

    /// The endpoints of a stored slice.
    static func endpoints(of slice: JSONValue) -> [SliceEndpoint] {
        (slice["endpoints"]?.array ?? []).map(SliceEndpoint.init)
    }

    /// The ports of a stored slice.
    static func ports(of slice: JSONValue) -> [SlicePort] {
        (slice["ports"]?.array ?? []).map(SlicePort.init)
    }

    /// Whether `slice` is controlled by `service` (same uid), not by an older Service of the
    /// same name (`ownedBy`).
    static func isOwned(_ slice: JSONValue, by service: ServiceSpec) -> Bool {
        OwnerReferences.all(of: slice).contains { $0.uid == service.uid && $0.kind == "Service" && $0.apiVersion == "v1" }
    }

    /// The object to write, stamped with the trigger time (`addTriggerTimeAnnotation`).
    func materialized(triggerTime: Date?) -> JSONValue {
        var result = object
        var metadata = result["metadata"]?.object ?? [:]
        if let labels { metadata["labels"] = .object(labels.mapValues(JSONValue.string)) }
        var annotations = metadata["annotations"]?.object ?? [:]
        if let triggerTime {
            annotations[EndpointsBuilder.triggerTimeAnnotation] = .string(KubeTime.rfc3339Nano(triggerTime))
        } else {
            annotations.removeValue(forKey: EndpointsBuilder.triggerTimeAnnotation)
        }
        metadata["annotations"] = annotations.isEmpty ? nil : .object(annotations)
        result["metadata"] = .object(metadata)
        result["endpoints"] = .array(endpoints.map(\.json))
        return result
    }
}

/// The labels of a Service's EndpointSlices (`setEndpointSliceLabels`): the Service's own
/// labels, minus the reserved ones, plus the service name, the manager and, for a headless
/// Service, the headless marker.
enum EndpointSliceLabels {
    /// `kubernetes.io/service-name`.
    static let serviceName = "kubernetes.io/service-name"
    /// `endpointslice.kubernetes.io/managed-by`.
    static let managedBy = "endpointslice.kubernetes.io/managed-by"
    /// This controller's value of ``managedBy``.
    static let controllerName = "endpointslice-controller.k8s.io"

    static func isReserved(_ key: String) -> Bool {
        key == serviceName || key == managedBy || key == ServiceSpec.headlessLabel
    }

    /// The labels a slice with `current` labels should have, and whether the Service's own
    /// labels differ from what it carries.
    static func labels(for current: [String: String], service: ServiceSpec) -> (labels: [String: String], changed: Bool) {
        let carried = current.filter { !isReserved($0.key) }
        var wanted = service.labels.filter { !isReserved($0.key) }
        let changed = carried != wanted
        if service.isHeadless { wanted[ServiceSpec.headlessLabel] = "" }
        wanted[serviceName] = service.name
        wanted[managedBy] = controllerName
        return (wanted, changed)
    }
}
