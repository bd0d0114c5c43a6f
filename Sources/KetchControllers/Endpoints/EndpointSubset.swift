import KubeCore

/// One `subsets[]` entry of a core/v1 Endpoints object, as a comparable value.
struct EndpointSubset: Sendable, Hashable {
    /// An `addresses[]` / `notReadyAddresses[]` entry.
    struct Address: Sendable, Hashable {
        var ip: String
        var hostname: String?
        var nodeName: String?
        var targetRef: TargetReference?

        init(ip: String, hostname: String? = nil, nodeName: String? = nil, targetRef: TargetReference? = nil) {
            self.ip = ip
            self.hostname = hostname
            self.nodeName = nodeName
            self.targetRef = targetRef
        }

        init(_ json: JSONValue) {
            ip = json["ip"]?.string ?? ""
            hostname = json["hostname"]?.string.flatMap { $0.isEmpty ? nil : $0 }
            nodeName = json["nodeName"]?.string.flatMap { $0.isEmpty ? nil : $0 }
            targetRef = TargetReference(json["targetRef"])
        }

        var json: JSONValue {
            var object: [String: JSONValue] = ["ip": .string(ip)]
            if let hostname { object["hostname"] = .string(hostname) }
            if let nodeName { object["nodeName"] = .string(nodeName) }
            if let targetRef { object["targetRef"] = targetRef.json }
            return .object(object)
        }

        /// The identity repacking dedupes on: IP and pod uid (`addressKey`).
        var key: String { ip + "/" + (targetRef?.uid ?? "") }

        /// IP first, then pod uid (`LessEndpointAddress`).
        static func ordered(_ a: Address, _ b: Address) -> Bool {
            if a.ip != b.ip { return Array(a.ip.utf8).lexicographicallyPrecedes(Array(b.ip.utf8)) }
            guard let right = b.targetRef else { return false }
            guard let left = a.targetRef else { return true }
            return left.uid < right.uid
        }
    }

    /// A `ports[]` entry.
    struct Port: Sendable, Hashable, Comparable {
        var name: String
        var port: Int
        var proto: String
        var appProtocol: String?

        init(name: String, port: Int, proto: String, appProtocol: String? = nil) {
            self.name = name
            self.port = port
            self.proto = proto
            self.appProtocol = appProtocol
        }

        init(_ json: JSONValue) {
            name = json["name"]?.string ?? ""
            port = json["port"]?.int ?? 0
            proto = json["protocol"]?.string ?? "TCP"
            appProtocol = json["appProtocol"]?.string
        }

        var json: JSONValue {
            var object: [String: JSONValue] = ["port": .integer(port), "protocol": .string(proto)]
            if !name.isEmpty { object["name"] = .string(name) }
            if let appProtocol { object["appProtocol"] = .string(appProtocol) }
            return .object(object)
        }

        static func < (a: Port, b: Port) -> Bool {
            (a.name, a.port, a.proto, a.appProtocol ?? "") < (b.name, b.port, b.proto, b.appProtocol ?? "")
        }
    }

    var addresses: [Address] = []
    var notReadyAddresses: [Address] = []
    var ports: [Port] = []

    init(addresses: [Address] = [], notReadyAddresses: [Address] = [], ports: [Port] = []) {
        self.addresses = addresses
        self.notReadyAddresses = notReadyAddresses
        self.ports = ports
    }

    init(_ json: JSONValue) {
        addresses = (json["addresses"]?.array ?? []).map(Address.init)
        notReadyAddresses = (json["notReadyAddresses"]?.array ?? []).map(Address.init)
        ports = (json["ports"]?.array ?? []).map(Port.init)
    }

    /// The subset as the API writes it, empty lists left out.
    var json: JSONValue {
        var object: [String: JSONValue] = [:]
        if !addresses.isEmpty { object["addresses"] = .array(addresses.map(\.json)) }
        if !notReadyAddresses.isEmpty { object["notReadyAddresses"] = .array(notReadyAddresses.map(\.json)) }
        if !ports.isEmpty { object["ports"] = .array(ports.map(\.json)) }
        return .object(object)
    }

    /// The subsets of an Endpoints object.
    static func parse(_ endpoints: JSONValue?) -> [EndpointSubset] {
        (endpoints?["subsets"]?.array ?? []).map(EndpointSubset.init)
    }
}
