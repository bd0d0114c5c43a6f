import KubeCore

/// One `endpoints[]` entry of a discovery.k8s.io/v1 EndpointSlice, as a comparable value.
struct SliceEndpoint: Sendable, Hashable {
    /// What makes two entries the same endpoint (`hashEndpoint`): its addresses, hostname and
    /// pod. Everything else is compared separately (``sameBeyondIdentity(_:)``).
    struct Identity: Sendable, Hashable {
        var addresses: [String]
        var hostname: String?
        var pod: String?
    }

    var addresses: [String]
    var ready: Bool?
    var serving: Bool?
    var terminating: Bool?
    var hostname: String?
    var targetRef: TargetReference?
    var nodeName: String?
    var zone: String?

    init(addresses: [String], ready: Bool?, serving: Bool?, terminating: Bool?, hostname: String? = nil,
         targetRef: TargetReference? = nil, nodeName: String? = nil, zone: String? = nil) {
        self.addresses = addresses
        self.ready = ready
        self.serving = serving
        self.terminating = terminating
        self.hostname = hostname
        self.targetRef = targetRef
        self.nodeName = nodeName
        self.zone = zone
    }

    init(_ json: JSONValue) {
        addresses = (json["addresses"]?.array ?? []).compactMap(\.string)
        ready = json[path: ["conditions", "ready"]]?.bool
        serving = json[path: ["conditions", "serving"]]?.bool
        terminating = json[path: ["conditions", "terminating"]]?.bool
        hostname = json["hostname"]?.string
        targetRef = TargetReference(json["targetRef"])
        nodeName = json["nodeName"]?.string
        zone = json["zone"]?.string
    }

    var json: JSONValue {
        var conditions: [String: JSONValue] = [:]
        if let ready { conditions["ready"] = .bool(ready) }
        if let serving { conditions["serving"] = .bool(serving) }
        if let terminating { conditions["terminating"] = .bool(terminating) }
        var object: [String: JSONValue] = ["addresses": .array(addresses.map(JSONValue.string)), "conditions": .object(conditions)]
        if let hostname { object["hostname"] = .string(hostname) }
        if let targetRef { object["targetRef"] = targetRef.json }
        if let nodeName { object["nodeName"] = .string(nodeName) }
        if let zone { object["zone"] = .string(zone) }
        return .object(object)
    }

    var identity: Identity {
        Identity(addresses: addresses.sorted(), hostname: hostname, pod: targetRef.map { $0.namespace + "/" + $0.name })
    }

    /// Whether the fields outside the identity agree: node, zone, conditions and pod
    /// (`EndpointsEqualBeyondHash`).
    func sameBeyondIdentity(_ other: SliceEndpoint) -> Bool {
        nodeName == other.nodeName && zone == other.zone && ready == other.ready && serving == other.serving
            && terminating == other.terminating && targetRef == other.targetRef
    }

    /// The endpoint for `pod` in a slice of `addressType` (IPv4, IPv6) for `service`; the zone
    /// comes from the pod's Node labels (`podToEndpoint`). A terminating pod is never ready
    /// (unless the Service publishes not-ready addresses) but stays serving while it is ready.
    static func make(pod: JSONValue, nodeLabels: [String: String]?, service: ServiceSpec, addressType: String) -> SliceEndpoint {
        let serving = PodReadiness.isReady(pod)
        let terminating = PodReadiness.isTerminating(pod)
        let nodeName = PodReadiness.nodeName(pod)
        let zone = nodeLabels?["topology.kubernetes.io/zone"].flatMap { $0.isEmpty ? nil : $0 }
        return SliceEndpoint(
            addresses: PodEndpointInfo.ips(pod).filter { PodEndpointInfo.isIPv6($0) == (addressType == "IPv6") },
            ready: service.publishNotReadyAddresses || (serving && !terminating), serving: serving, terminating: terminating,
            hostname: PodEndpointInfo.hostname(pod, for: service), targetRef: PodEndpointInfo.targetRef(pod),
            nodeName: nodeName.isEmpty ? nil : nodeName, zone: zone)
    }
}

/// One `ports[]` entry of an EndpointSlice. Unlike an Endpoints port, its name is always
/// written, empty for an unnamed Service port.
struct SlicePort: Sendable, Hashable, Comparable {
    var name: String?
    var port: Int?
    var proto: String?
    var appProtocol: String?

    init(name: String?, port: Int?, proto: String?, appProtocol: String? = nil) {
        self.name = name
        self.port = port
        self.proto = proto
        self.appProtocol = appProtocol
    }

    init(_ json: JSONValue) {
        name = json["name"]?.string
        port = json["port"]?.int
        proto = json["protocol"]?.string
        appProtocol = json["appProtocol"]?.string
    }

    var json: JSONValue {
        var object: [String: JSONValue] = [:]
        if let name { object["name"] = .string(name) }
        if let port { object["port"] = .integer(port) }
        if let proto { object["protocol"] = .string(proto) }
        if let appProtocol { object["appProtocol"] = .string(appProtocol) }
        return .object(object)
    }

    static func < (a: SlicePort, b: SlicePort) -> Bool {
        (a.name ?? "", a.port ?? 0, a.proto ?? "", a.appProtocol ?? "") < (b.name ?? "", b.port ?? 0, b.proto ?? "", b.appProtocol ?? "")
    }

    /// The ports `pod` offers for `service`'s ports, skipping those it cannot resolve
    /// (`getEndpointPorts`).
    static func ports(of pod: JSONValue, for service: ServiceSpec) -> [SlicePort] {
        service.ports.compactMap { port in
            PodEndpointInfo.findPort(pod, port).map { SlicePort(name: port.name, port: $0, proto: port.proto, appProtocol: port.appProtocol) }
        }
    }

    /// The ports of a slice, sorted: slices are grouped by this.
    static func key(_ ports: [SlicePort]) -> [SlicePort] { ports.sorted() }
}
