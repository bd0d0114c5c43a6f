import Foundation
import KubeCore

/// The core/v1 Endpoints object the endpoints controller wants for a Service, as pure functions
/// (pkg/controller/endpoint/endpoints_controller.go `syncService`).
enum EndpointsBuilder {
    /// The annotation carrying when the change that led to this state happened.
    static let triggerTimeAnnotation = "endpoints.kubernetes.io/last-change-trigger-time"
    /// The annotation saying addresses were dropped to stay within ``maxCapacity``.
    static let overCapacityAnnotation = "endpoints.kubernetes.io/over-capacity"
    /// The most addresses one Endpoints object holds.
    static let maxCapacity = 1000

    /// The subsets for `service` from the `pods` its selector matches: ready pods' addresses
    /// under `addresses`, the others under `notReadyAddresses` (all of them ready when the
    /// Service publishes not-ready addresses), one entry per resolvable port, repacked.
    static func subsets(for service: ServiceSpec, pods: [JSONValue]) -> [EndpointSubset] {
        var subsets: [EndpointSubset] = []
        for pod in pods where PodEndpointInfo.shouldBeInEndpoints(pod, includeTerminating: service.publishNotReadyAddresses) {
            guard let ip = address(of: pod, for: service) else { continue }
            let nodeName = PodReadiness.nodeName(pod)
            let address = EndpointSubset.Address(ip: ip, hostname: PodEndpointInfo.hostname(pod, for: service),
                                                 nodeName: nodeName.isEmpty ? nil : nodeName,
                                                 targetRef: PodEndpointInfo.targetRef(pod))
            let ready = service.publishNotReadyAddresses || PodReadiness.isReady(pod)
            func subset(_ ports: [EndpointSubset.Port]) -> EndpointSubset {
                ready ? EndpointSubset(addresses: [address], ports: ports) : EndpointSubset(notReadyAddresses: [address], ports: ports)
            }
            if service.ports.isEmpty {
                // A headless Service may have no ports; its addresses are still published.
                if service.clusterIP == "None" { subsets.append(subset([])) }
                continue
            }
            for port in service.ports {
                guard let number = PodEndpointInfo.findPort(pod, port) else { continue }
                subsets.append(subset([EndpointSubset.Port(name: port.name, port: number, proto: port.proto, appProtocol: port.appProtocol)]))
            }
        }
        return EndpointSubsetPacking.repack(subsets)
    }

    /// The pod's IP of the Service's family: the first entry of `ipFamilies`, else the family
    /// of the cluster IP, else (headless) of the pod's primary IP (`podToEndpointAddressForService`).
    static func address(of pod: JSONValue, for service: ServiceSpec) -> String? {
        let ips = PodEndpointInfo.ips(pod)
        let wantIPv6: Bool
        if let family = service.ipFamilies.first {
            wantIPv6 = family == "IPv6"
        } else if !service.isHeadless {
            wantIPv6 = PodEndpointInfo.isIPv6(service.clusterIP)
        } else {
            wantIPv6 = ips.first.map(PodEndpointInfo.isIPv6) ?? false
        }
        return ips.first { PodEndpointInfo.isIPv6($0) == wantIPv6 }
    }

    /// The Endpoints object to write, or nil when `current` already says all of it: the same
    /// subsets, the Service's labels, and a correct over-capacity annotation. `current` nil
    /// means it must be created. The trigger time is stamped only when something changes.
    static func desired(current: JSONValue?, service: ServiceSpec, subsets: [EndpointSubset], triggerTime: Date?) -> JSONValue? {
        let (kept, truncated) = truncate(subsets)
        if let current {
            var labels = ObjectMetadata.labels(current)
            labels.removeValue(forKey: ServiceSpec.headlessLabel)
            let stored = EndpointSubsetPacking.sort(EndpointSubset.parse(current))
            // Upstream compares with the untruncated subsets and so rewrites an over-capacity
            // object on every sync; comparing with what would be written avoids that.
            let marked = ObjectMetadata.annotations(current)[overCapacityAnnotation] != nil
            if stored == kept, labels == service.labels, marked == truncated { return nil }
        }
        var endpoints = current ?? .object([
            "apiVersion": .string("v1"), "kind": .string("Endpoints"),
            "metadata": .object(["name": .string(service.name), "namespace": .string(service.namespace)]),
        ])
        var metadata = endpoints["metadata"]?.object ?? [:]
        var annotations = (metadata["annotations"]?.object ?? [:])
        if let triggerTime {
            annotations[triggerTimeAnnotation] = .string(KubeTime.rfc3339Nano(triggerTime))
        } else {
            annotations.removeValue(forKey: triggerTimeAnnotation)
        }
        if truncated {
            annotations[overCapacityAnnotation] = .string("truncated")
        } else {
            annotations.removeValue(forKey: overCapacityAnnotation)
        }
        var labels = service.labels.mapValues(JSONValue.string)
        if service.isHeadless { labels[ServiceSpec.headlessLabel] = .string("") }
        metadata["labels"] = labels.isEmpty ? nil : .object(labels)
        metadata["annotations"] = annotations.isEmpty ? nil : .object(annotations)
        endpoints["metadata"] = .object(metadata)
        // `subsets` is omitempty upstream: a Service with no pods has none.
        endpoints["subsets"] = kept.isEmpty ? nil : .array(kept.map(\.json))
        return endpoints
    }

    /// Drops addresses beyond ``maxCapacity``, not-ready ones first, spreading the cut over the
    /// subsets in proportion to their size (`truncateEndpoints`).
    static func truncate(_ subsets: [EndpointSubset]) -> ([EndpointSubset], Bool) {
        let ready = subsets.reduce(0) { $0 + $1.addresses.count }
        let notReady = subsets.reduce(0) { $0 + $1.notReadyAddresses.count }
        guard ready + notReady > maxCapacity else { return (subsets, false) }
        let truncateReady = ready > maxCapacity
        let budget = truncateReady ? maxCapacity : maxCapacity - ready
        let total = truncateReady ? ready : notReady
        var left = budget
        var result = subsets
        for i in result.indices {
            let size = truncateReady ? result[i].addresses.count : result[i].notReadyAddresses.count
            let share = min(left, Int((Double(size) / Double(total) * Double(budget)).rounded(.up)))
            if truncateReady {
                result[i].addresses = Array(result[i].addresses.prefix(share))
                result[i].notReadyAddresses = []
                left -= result[i].addresses.count
            } else {
                result[i].notReadyAddresses = Array(result[i].notReadyAddresses.prefix(share))
                left -= result[i].notReadyAddresses.count
            }
        }
        return (result, true)
    }
}
