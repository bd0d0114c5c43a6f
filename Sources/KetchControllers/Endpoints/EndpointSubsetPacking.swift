/// Puts Endpoints subsets into their canonical layout (pkg/api/v1/endpoints `RepackSubsets`):
/// every address offered on the same set of ports shares one subset, an address not ready on
/// any of its ports counts as not ready there, and everything is sorted so that two builds of
/// the same state compare equal.
enum EndpointSubsetPacking {
    /// Stands in for "no ports" (a headless Service without ports), so such addresses survive.
    private static let noPorts = EndpointSubset.Port(name: "", port: -1, proto: "")

    /// The canonical form of `subsets`.
    static func repack(_ subsets: [EndpointSubset]) -> [EndpointSubset] {
        var addresses: [String: EndpointSubset.Address] = [:]
        var readyByPort: [EndpointSubset.Port: [String: Bool]] = [:]
        func record(_ address: EndpointSubset.Address, _ port: EndpointSubset.Port, ready: Bool) {
            let key = address.key
            if addresses[key] == nil { addresses[key] = address }
            // Not ready wins over ready.
            if readyByPort[port]?[key] ?? true { readyByPort[port, default: [:]][key] = ready }
        }
        for subset in subsets {
            for port in subset.ports.isEmpty ? [noPorts] : subset.ports {
                for address in subset.addresses { record(address, port, ready: true) }
                for address in subset.notReadyAddresses { record(address, port, ready: false) }
            }
        }
        var portsBySet: [[String: Bool]: [EndpointSubset.Port]] = [:]
        for (port, set) in readyByPort { portsBySet[set, default: []].append(port) }
        let packed = portsBySet.map { set, ports in
            EndpointSubset(addresses: set.filter(\.value).compactMap { addresses[$0.key] },
                           notReadyAddresses: set.filter { !$0.value }.compactMap { addresses[$0.key] },
                           ports: ports == [noPorts] ? [] : ports)
        }
        return sort(packed)
    }

    /// Sorts addresses (IP, then pod uid), ports, and the subsets themselves. Upstream orders
    /// ports and subsets by a hash of their Go representation; any fixed order serves the same
    /// purpose, which is stable comparisons.
    static func sort(_ subsets: [EndpointSubset]) -> [EndpointSubset] {
        subsets.map { subset in
            EndpointSubset(addresses: subset.addresses.sorted(by: EndpointSubset.Address.ordered),
                           notReadyAddresses: subset.notReadyAddresses.sorted(by: EndpointSubset.Address.ordered),
                           ports: subset.ports.sorted())
        }.sorted { sortKey($0) < sortKey($1) }
    }

    private static func sortKey(_ subset: EndpointSubset) -> String {
        let ports = subset.ports.map { "\($0.name)/\($0.port)/\($0.proto)/\($0.appProtocol ?? "")" }
        let addresses = (subset.addresses + subset.notReadyAddresses).map(\.key)
        return ports.joined(separator: ",") + "|" + addresses.joined(separator: ",")
    }
}
