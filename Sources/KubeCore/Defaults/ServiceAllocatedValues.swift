/// What the Service storage does to cluster IPs and node ports before it validates a write
/// (pkg/registry/core/service/storage: `normalizeClusterIPs` and `patchAllocatedValues`), so
/// a client that leaves out the values the server allocated (`kubectl replace` of a
/// manifest, an old client that only knows `clusterIP`) keeps them.
public enum ServiceAllocatedValues {
    /// On create: a Service that names only `clusterIP` gets it as `clusterIPs` too.
    public static func normalizedForCreate(_ service: JSONValue) -> JSONValue {
        var object = service
        let clusterIP = service["spec"]?["clusterIP"]?.string ?? ""
        if !clusterIP.isEmpty, (service["spec"]?["clusterIPs"]?.array ?? []).isEmpty {
            object["spec"]?["clusterIPs"] = .array([.string(clusterIP)])
        }
        return object
    }

    /// On update: the stored cluster IPs, node ports and health-check node port fill in what
    /// the new object leaves out, then clusterIP and clusterIPs are brought into step.
    public static func patchedForUpdate(_ service: JSONValue, existing: JSONValue) -> JSONValue {
        guard service["spec"]?.object != nil else { return service }
        var object = service
        let oldSpec = existing["spec"], type = service["spec"]?["type"]?.string
        if type != "ExternalName", oldSpec?["type"]?.string != "ExternalName" {
            if (object["spec"]?["clusterIP"]?.string ?? "").isEmpty, let ip = oldSpec?["clusterIP"], ip.string?.isEmpty == false {
                object["spec"]?["clusterIP"] = ip
            }
            if (object["spec"]?["clusterIPs"]?.array ?? []).isEmpty, let ips = oldSpec?["clusterIPs"], !(ips.array ?? []).isEmpty {
                object["spec"]?["clusterIPs"] = ips
            }
        }
        if needsNodePorts(object), needsNodePorts(existing) {
            patchNodePorts(&object, existing)
        }
        if ServiceValidation.needsHealthCheck(object), ServiceValidation.needsHealthCheck(existing),
           (object["spec"]?["healthCheckNodePort"]?.int ?? 0) == 0, let port = oldSpec?["healthCheckNodePort"] {
            object["spec"]?["healthCheckNodePort"] = port
        }
        return normalizedForUpdate(object, existing: existing)
    }

    /// `normalizeClusterIPs` for an update.
    private static func normalizedForUpdate(_ service: JSONValue, existing: JSONValue) -> JSONValue {
        var object = service
        let oldIP = existing["spec"]?["clusterIP"]?.string ?? "", newIP = service["spec"]?["clusterIP"]?.string ?? ""
        let oldIPs = existing["spec"]?["clusterIPs"]?.array ?? []
        var newIPs = service["spec"]?["clusterIPs"]?.array ?? []
        if !oldIPs.isEmpty, newIPs.isEmpty, oldIP == newIP {
            newIPs = oldIPs
            object["spec"]?["clusterIPs"] = .array(newIPs)
        }
        if oldIP != newIP {
            if !oldIP.isEmpty, newIP.isEmpty {
                object["spec"]?["clusterIPs"] = nil
            } else if !oldIPs.isEmpty, !newIPs.isEmpty, oldIPs == newIPs {
                newIPs[0] = .string(newIP)
                object["spec"]?["clusterIPs"] = .array(newIPs)
            }
        }
        return object
    }

    /// Node ports the new ports leave at 0 take the stored port of the same name, unless that
    /// number is in use by another port.
    private static func patchNodePorts(_ object: inout JSONValue, _ existing: JSONValue) {
        let oldPorts = existing["spec"]?["ports"]?.array ?? []
        guard var ports = object["spec"]?["ports"]?.array else { return }
        let used = Set(oldPorts.compactMap { $0["nodePort"]?.int }.filter { $0 != 0 })
            .intersection(ports.compactMap { $0["nodePort"]?.int }.filter { $0 != 0 })
        var byName: [String: Int] = [:]
        for port in oldPorts { byName[port["name"]?.string ?? ""] = port["nodePort"]?.int ?? 0 }
        for index in ports.indices where (ports[index]["nodePort"]?.int ?? 0) == 0 {
            let old = byName[ports[index]["name"]?.string ?? ""] ?? 0
            if old != 0, !used.contains(old) { ports[index]["nodePort"] = .integer(old) }
        }
        object["spec"]?["ports"] = .array(ports)
    }

    private static func needsNodePorts(_ service: JSONValue) -> Bool {
        let type = service["spec"]?["type"]?.string
        return type == "NodePort" || type == "LoadBalancer"
    }
}
