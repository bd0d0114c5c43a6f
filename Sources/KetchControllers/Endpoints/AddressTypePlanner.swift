import KubeCore

/// Plans the slices of one address type of one Service (`reconcileByAddressType`,
/// `reconcileByPortMapping`, and the create-to-update step of `finalize`).
struct AddressTypePlanner {
    let service: ServiceSpec
    let addressType: String
    /// Endpoints per slice.
    let max: Int
    private(set) var create: [EndpointSliceDraft] = []
    private(set) var update: [EndpointSliceDraft] = []
    private(set) var delete: [JSONValue] = []
    private(set) var skipped: [String] = []

    init(service: ServiceSpec, addressType: String, max: Int) {
        self.service = service
        self.addressType = addressType
        self.max = max
    }

    /// Plans from the Service's `pods` and its `existing` slices of this address type.
    mutating func run(pods: [JSONValue], existing: [JSONValue], nodeLabels: (String) -> [String: String]?) {
        var existingByPorts: [[SlicePort]: [JSONValue]] = [:]
        for slice in existing {
            if EndpointSliceDraft.isOwned(slice, by: service) {
                existingByPorts[SlicePort.key(EndpointSliceDraft.ports(of: slice)), default: []].append(slice)
            } else {
                delete.append(slice)
            }
        }
        var desired: [[SlicePort]: EndpointSet] = [:]
        var portGroups: [[SlicePort]] = []
        for pod in pods where PodEndpointInfo.shouldBeInEndpoints(pod, includeTerminating: true) {
            let ports = SlicePort.key(SlicePort.ports(of: pod, for: service))
            if desired[ports] == nil {
                desired[ports] = EndpointSet()
                portGroups.append(ports)
            }
            let nodeName = PodReadiness.nodeName(pod)
            let labels = nodeLabels(nodeName)
            if labels == nil && !service.publishNotReadyAddresses {
                skipped.append("skipping Pod \(ObjectMetadata.name(pod)) for Service \(service.namespace)/\(service.name): Node \(nodeName) Not Found")
                continue
            }
            let endpoint = SliceEndpoint.make(pod: pod, nodeLabels: labels, service: service, addressType: addressType)
            if !endpoint.addresses.isEmpty { desired[ports]?.insert(endpoint) }
        }
        for ports in portGroups {
            var set = desired[ports] ?? EndpointSet()
            reconcile(ports: ports, existing: existingByPorts[ports] ?? [], desired: &set)
        }
        for (ports, slices) in existingByPorts.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) where desired[ports] == nil {
            delete += slices
        }
        // A Service with no endpoints keeps one empty slice, so consumers see it exists.
        if existing.count == delete.count && create.isEmpty {
            let placeholder = EndpointSliceDraft(newFor: service, ports: [], addressType: addressType)
            if delete.count == 1, isSamePlaceholder(delete[0], placeholder.object) {
                delete = []
            } else {
                create.append(placeholder)
            }
        }
        reuseDeletedSlices()
    }

    /// One port group: keeps endpoints where they are, drops the unwanted, refreshes changed
    /// ones, then places the rest, filling updated slices first, then one unchanged slice that
    /// fits them all, then new slices (`reconcileByPortMapping`).
    private mutating func reconcile(ports: [SlicePort], existing: [JSONValue], desired: inout EndpointSet) {
        var drafts: [String: EndpointSliceDraft] = [:]
        var unchanged: [String] = []
        var toUpdate: [String] = []
        for slice in existing {
            let name = ObjectMetadata.name(slice)
            let current = EndpointSliceDraft.endpoints(of: slice)
            var kept: [SliceEndpoint] = []
            var changed = false
            for endpoint in current {
                guard let wanted = desired.get(endpoint.identity) else { continue }
                kept.append(wanted)
                if !wanted.sameBeyondIdentity(endpoint) { changed = true }
                desired.remove(endpoint.identity)
            }
            let (labels, labelsChanged) = EndpointSliceLabels.labels(for: ObjectMetadata.labels(slice), service: service)
            if changed || kept.count != current.count {
                if kept.isEmpty {
                    delete.append(slice)
                } else {
                    drafts[name] = EndpointSliceDraft(existing: slice, endpoints: kept, labels: labels)
                    toUpdate.append(name)
                }
            } else if labelsChanged {
                drafts[name] = EndpointSliceDraft(existing: slice, endpoints: current, labels: labels)
                toUpdate.append(name)
            } else {
                drafts[name] = EndpointSliceDraft(existing: slice, endpoints: current)
                unchanged.append(name)
            }
        }
        // Fill the slices being updated anyway, fullest first.
        let fullestFirst = toUpdate.sorted { a, b in
            let (sizeA, sizeB) = (drafts[a]?.endpoints.count ?? 0, drafts[b]?.endpoints.count ?? 0)
            return sizeA != sizeB ? sizeA > sizeB : a < b
        }
        for name in fullestFirst {
            while !desired.isEmpty, drafts[name]!.endpoints.count < max, let next = desired.popFirst() {
                drafts[name]!.endpoints.append(next)
            }
        }
        while !desired.isEmpty {
            var target: String?
            if desired.count < max, !unchanged.isEmpty { target = sliceToFill(unchanged.compactMap { drafts[$0] }, adding: desired.count) }
            var draft = target.flatMap { drafts[$0] } ?? EndpointSliceDraft(newFor: service, ports: ports, addressType: addressType)
            while draft.endpoints.count < max, let next = desired.popFirst() { draft.endpoints.append(next) }
            if let target {
                drafts[target] = draft
                toUpdate.append(target)
                unchanged.removeAll { $0 == target }
            } else {
                create.append(draft)
            }
        }
        update += toUpdate.compactMap { drafts[$0] }
    }

    /// The unchanged slice that would be closest to full after taking `count` endpoints
    /// (`getSliceToFill`).
    private func sliceToFill(_ slices: [EndpointSliceDraft], adding count: Int) -> String? {
        var closest = max
        var best: String?
        for slice in slices {
            let room = max - (count + slice.endpoints.count)
            if room >= 0 && room < closest {
                closest = room
                best = slice.name
                if room == 0 { break }
            }
        }
        return best
    }

    /// Creates become updates of slices that would otherwise be deleted, when those are the
    /// Service's own and of the same address type (`finalize`).
    private mutating func reuseDeletedSlices() {
        var i = 0
        while i < delete.count, !create.isEmpty {
            let old = delete[i]
            guard old["addressType"]?.string == addressType, EndpointSliceDraft.isOwned(old, by: service) else {
                i += 1
                continue
            }
            var draft = create.removeLast()
            var metadata = draft.object["metadata"]?.object ?? [:]
            metadata["name"] = old[path: ["metadata", "name"]]
            metadata["resourceVersion"] = old[path: ["metadata", "resourceVersion"]]
            draft.object["metadata"] = .object(metadata)
            update.append(draft)
            delete.remove(at: i)
        }
    }

    /// Whether an existing slice is the placeholder this Service would get: same namespace,
    /// labels, owner, address type, and no endpoints or ports (`placeholderSliceCompare`).
    private func isSamePlaceholder(_ slice: JSONValue, _ placeholder: JSONValue) -> Bool {
        ObjectMetadata.namespace(slice) == ObjectMetadata.namespace(placeholder)
            && ObjectMetadata.labels(slice) == ObjectMetadata.labels(placeholder)
            && OwnerReferences.all(of: slice) == OwnerReferences.all(of: placeholder)
            && slice["addressType"] == placeholder["addressType"]
            && EndpointSliceDraft.endpoints(of: slice).isEmpty && EndpointSliceDraft.ports(of: slice).isEmpty
    }
}
