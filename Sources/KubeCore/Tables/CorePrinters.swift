import Foundation

/// Printers for core/v1 objects other than pods, and the networking kinds, copied from
/// kube-apiserver's pkg/printers/internalversion/printers.go (1.33).
enum CorePrinters {
    typealias F = TableFormat

    /// Namespaces: Name, Status, Age.
    static let namespace = TablePrinter(
        columns: [.name, TableColumn("Status", description: "The status of the namespace"), .age],
        cells: { o, now in [.string(F.name(o)), .string(F.str(o["status"]?["phase"])), F.age(o, now)] })

    /// Nodes: Name, Status, Roles, Age, Version; wide Internal-IP, External-IP, OS-Image,
    /// Kernel-Version, Container-Runtime.
    static let node = TablePrinter(
        columns: [.name, TableColumn("Status", description: "The status of the node"),
                  TableColumn("Roles", description: "The roles of the node"), .age,
                  TableColumn("Version", description: "Kubelet Version reported by the node."),
                  TableColumn("Internal-IP", priority: 1, description: "List of addresses reachable to the node. Queried from cloud provider, if available."),
                  TableColumn("External-IP", priority: 1, description: "List of addresses reachable to the node. Queried from cloud provider, if available."),
                  TableColumn("OS-Image", priority: 1, description: "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
                  TableColumn("Kernel-Version", priority: 1, description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
                  TableColumn("Container-Runtime", priority: 1, description: "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).")],
        cells: { o, now in
            let status = o["status"], info = status?["nodeInfo"]
            // Only the Ready condition decides the status column.
            var states: [String] = []
            if let ready = F.arr(status?["conditions"]).last(where: { F.str($0["type"]) == "Ready" }) {
                states.append(F.str(ready["status"]) == "True" ? "Ready" : "NotReady")
            }
            if states.isEmpty { states.append("Unknown") }
            if F.bool(o["spec"]?["unschedulable"]) { states.append("SchedulingDisabled") }
            let roles = nodeRoles(o).joined(separator: ",")
            func address(_ type: String) -> String {
                F.arr(status?["addresses"]).first { F.str($0["type"]) == type }.map { F.str($0["address"]) } ?? "<none>"
            }
            func known(_ key: String) -> JSONValue {
                let s = F.str(info?[key]); return .string(s.isEmpty ? "<unknown>" : s)
            }
            return [.string(F.name(o)), .string(states.joined(separator: ",")), .string(roles.isEmpty ? "<none>" : roles),
                    F.age(o, now), .string(F.str(info?["kubeletVersion"])),
                    .string(address("InternalIP")), .string(address("ExternalIP")),
                    known("osImage"), known("kernelVersion"), known("containerRuntimeVersion")]
        })

    /// `findNodeRoles`: `node-role.kubernetes.io/<role>` label suffixes and the value of
    /// `kubernetes.io/role`, sorted and de-duplicated.
    static func nodeRoles(_ node: JSONValue) -> [String] {
        var roles = Set<String>()
        for (k, v) in node["metadata"]?["labels"]?.object ?? [:] {
            if k.hasPrefix("node-role.kubernetes.io/") {
                let role = String(k.dropFirst("node-role.kubernetes.io/".count))
                if !role.isEmpty { roles.insert(role) }
            } else if k == "kubernetes.io/role", let v = v.string, !v.isEmpty {
                roles.insert(v)
            }
        }
        return roles.sorted()
    }

    /// Services: Name, Type, Cluster-IP, External-IP, Port(s), Age; wide Selector.
    static let service = TablePrinter(
        columns: [.name, TableColumn("Type", description: "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer."),
                  TableColumn("Cluster-IP", description: "clusterIP is the IP address of the service and is usually assigned randomly."),
                  TableColumn("External-IP", description: "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
                  TableColumn("Port(s)", description: "The list of ports that are exposed by this service."),
                  .age,
                  TableColumn("Selector", priority: 1, description: "Route service traffic to pods with label keys and values matching this selector.")],
        cells: { o, now in
            let spec = o["spec"]
            let type = F.str(spec?["type"])
            var clusterIP = F.str(F.arr(spec?["clusterIPs"]).first)
            if clusterIP.isEmpty { clusterIP = F.str(spec?["clusterIP"]) }
            let ports = F.arr(spec?["ports"]).map { p -> String in
                let proto = F.str(p["protocol"]).isEmpty ? "TCP" : F.str(p["protocol"])
                let nodePort = F.int(p["nodePort"])
                return nodePort > 0 ? "\(F.int(p["port"])):\(nodePort)/\(proto)" : "\(F.int(p["port"]))/\(proto)"
            }.joined(separator: ",")
            return [.string(F.name(o)), .string(type), .string(clusterIP.isEmpty ? "<none>" : clusterIP),
                    .string(externalIP(o)), .string(ports.isEmpty ? "<none>" : ports), F.age(o, now),
                    .string(F.labels(spec?["selector"]))]
        })

    /// `getServiceExternalIP` (wide): external IPs, load-balancer ingress, `<pending>`, or the
    /// external name.
    static func externalIP(_ svc: JSONValue) -> String {
        let spec = svc["spec"]
        let externalIPs = F.arr(spec?["externalIPs"]).compactMap(\.string)
        switch F.str(spec?["type"]) {
        case "ClusterIP", "NodePort", "":
            // An unset type is ClusterIP after defaulting.
            return externalIPs.isEmpty ? "<none>" : externalIPs.joined(separator: ",")
        case "LoadBalancer":
            let lb = F.loadBalancer(svc["status"]?["loadBalancer"])
            if !externalIPs.isEmpty {
                return ((lb.isEmpty ? [] : lb.split(separator: ",").map(String.init)) + externalIPs).joined(separator: ",")
            }
            return lb.isEmpty ? "<pending>" : lb
        case "ExternalName":
            return F.str(spec?["externalName"])
        default:
            return "<unknown>"
        }
    }

    /// Endpoints: Name, Endpoints, Age.
    static let endpoints = TablePrinter(
        columns: [.name, TableColumn("Endpoints", description: "The set of all endpoints is the union of all subsets."), .age],
        cells: { o, now in [.string(F.name(o)), .string(formatEndpoints(o)), F.age(o, now)] })

    /// `formatEndpoints`: up to three `ip:port` (or bare IPs for port-less subsets) and
    /// `+ N more...`; `<none>` without subsets.
    static func formatEndpoints(_ o: JSONValue) -> String {
        let subsets = F.arr(o["subsets"])
        if subsets.isEmpty { return "<none>" }
        var list: [String] = [], more = false, count = 0
        let max = 3
        for ss in subsets {
            let addresses = F.arr(ss["addresses"]).map { F.str($0["ip"]) }
            let ports = F.arr(ss["ports"])
            if ports.isEmpty {
                count += addresses.count
                for ip in addresses {
                    if list.count == max { more = true; break }
                    list.append(ip)
                }
                continue
            }
            for p in ports {
                count += addresses.count
                for ip in addresses {
                    if list.count == max { more = true; break }
                    // net.JoinHostPort brackets IPv6 addresses.
                    list.append(ip.contains(":") ? "[\(ip)]:\(F.int(p["port"]))" : "\(ip):\(F.int(p["port"]))")
                }
            }
        }
        let ret = list.joined(separator: ",")
        return more ? "\(ret) + \(count - max) more..." : ret
    }

    /// EndpointSlices: Name, AddressType, Ports, Endpoints, Age.
    static let endpointSlice = TablePrinter(
        columns: [.name, TableColumn("AddressType", description: "addressType specifies the type of address carried by this EndpointSlice."),
                  TableColumn("Ports", description: "ports specifies the list of network ports exposed by each endpoint in this slice."),
                  TableColumn("Endpoints", description: "endpoints is a list of unique endpoints in this slice."), .age],
        cells: { o, now in
            let ports = F.arr(o["ports"]).map { p -> String in
                if let port = F.optInt(p["port"]) { return String(port) }
                if let name = p["name"]?.string { return name }
                return "*"
            }
            let addresses = F.arr(o["endpoints"]).flatMap { F.arr($0["addresses"]).compactMap(\.string) }
            return [.string(F.name(o)), .string(F.str(o["addressType"])), .string(F.listWithMore(ports)),
                    .string(F.listWithMore(addresses)), F.age(o, now)]
        })

    /// ConfigMaps: Name, Data (count of data and binaryData keys), Age.
    static let configMap = TablePrinter(
        columns: [.name, TableColumn("Data", description: "Data contains the configuration data."), .age],
        cells: { o, now in
            [.string(F.name(o)), .integer((o["data"]?.object?.count ?? 0) + (o["binaryData"]?.object?.count ?? 0)), F.age(o, now)]
        })

    /// Secrets: Name, Type, Data, Age.
    static let secret = TablePrinter(
        columns: [.name, TableColumn("Type", description: "Used to facilitate programmatic handling of secret data."),
                  TableColumn("Data", description: "Data contains the secret data."), .age],
        cells: { o, now in
            [.string(F.name(o)), .string(F.str(o["type"])), .integer(o["data"]?.object?.count ?? 0), F.age(o, now)]
        })

    /// ServiceAccounts: Name, Secrets, Age.
    static let serviceAccount = TablePrinter(
        columns: [.name, TableColumn("Secrets", description: "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), .age],
        cells: { o, now in [.string(F.name(o)), .integer(F.arr(o["secrets"]).count), F.age(o, now)] })

    /// Events (core/v1 and events.k8s.io/v1): Last Seen, Type, Reason, Object, Message; wide
    /// Subobject, Source, First Seen, Count, Name (cells in column order).
    static let event = TablePrinter(
        columns: [TableColumn("Last Seen", description: "The time at which the most recent occurrence of this event was recorded."),
                  TableColumn("Type", description: "Type of this event (Normal, Warning), new types could be added in the future"),
                  TableColumn("Reason", description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
                  TableColumn("Object", description: "The object that this event is about."),
                  TableColumn("Subobject", priority: 1, description: "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]."),
                  TableColumn("Source", priority: 1, description: "The component reporting this event. Should be a short machine understandable string."),
                  TableColumn("Message", description: "A human-readable description of the status of this operation."),
                  TableColumn("First Seen", priority: 1, description: "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
                  TableColumn("Count", priority: 1, description: "The number of times this event has occurred."),
                  TableColumn("Name", format: "name", priority: 1, description: TableColumn.nameDescription)],
        cells: { raw, now in
            let o = coreEvent(raw)
            let since = { (ts: JSONValue?) -> String? in ts?.string.map { HumanDuration.since($0, now: now) } }
            let first = since(o["firstTimestamp"]) ?? since(o["eventTime"]) ?? "<unknown>"
            var last = since(o["lastTimestamp"]) ?? first
            var count = F.int(o["count"])
            if let series = o["series"], series != .null {
                last = since(series["lastObservedTime"]) ?? "<unknown>"
                count = F.int(series["count"])
            } else if count == 0 {
                // Singleton events don't have a count set in the new API.
                count = 1
            }
            let involved = o["involvedObject"]
            let kind = F.str(involved?["kind"]).lowercased(), name = F.str(involved?["name"])
            let target = name.isEmpty ? kind : "\(kind)/\(name)"
            let component = F.str(o["source"]?["component"]).isEmpty ? F.str(o["reportingComponent"]) : F.str(o["source"]?["component"])
            let host = F.str(o["source"]?["host"]).isEmpty ? F.str(o["reportingInstance"]) : F.str(o["source"]?["host"])
            let source = host.isEmpty ? component : "\(component), \(host)"
            return [.string(last), .string(F.str(o["type"])), .string(F.str(o["reason"])), .string(target),
                    .string(F.str(involved?["fieldPath"])), .string(source),
                    .string(F.str(o["message"]).trimmingCharacters(in: .whitespacesAndNewlines)),
                    .string(first), .integer(count), .string(F.name(o))]
        })

    /// An events.k8s.io/v1 Event in core/v1 field names (kube converts both to one internal
    /// type before printing); core events pass through unchanged.
    static func coreEvent(_ e: JSONValue) -> JSONValue {
        guard case .object(var o) = e, o["regarding"] != nil || o["note"] != nil || o["deprecatedCount"] != nil else { return e }
        o["involvedObject"] = o["regarding"]
        o["message"] = o["note"]
        o["firstTimestamp"] = o["deprecatedFirstTimestamp"]
        o["lastTimestamp"] = o["deprecatedLastTimestamp"]
        o["count"] = o["deprecatedCount"]
        o["source"] = o["deprecatedSource"]
        o["reportingComponent"] = o["reportingController"]
        return .object(o)
    }

    // MARK: Storage

    /// `GetAccessModesAsString`: RWO, ROX, RWX, RWOP in that order.
    static func accessModes(_ v: JSONValue?) -> String {
        let modes = Set(F.arr(v).compactMap(\.string))
        return [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")]
            .filter { modes.contains($0.0) }.map(\.1).joined(separator: ",")
    }

    /// The storage class of a PV or PVC: the beta annotation wins over `spec.storageClassName`.
    static func storageClass(_ o: JSONValue) -> String {
        if let a = o["metadata"]?["annotations"]?["volume.beta.kubernetes.io/storage-class"]?.string { return a }
        return F.str(o["spec"]?["storageClassName"])
    }

    /// PersistentVolumes: Name, Capacity, Access Modes, Reclaim Policy, Status, Claim,
    /// StorageClass, VolumeAttributesClass, Reason, Age; wide VolumeMode.
    static let persistentVolume = TablePrinter(
        columns: [.name, TableColumn("Capacity", description: "capacity is the description of the persistent volume's resources and capacity."),
                  TableColumn("Access Modes", description: "accessModes contains all ways the volume can be mounted."),
                  TableColumn("Reclaim Policy", description: "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
                  TableColumn("Status", description: "phase indicates if a volume is available, bound to a claim, or released by a claim."),
                  TableColumn("Claim", description: "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
                  TableColumn("StorageClass", description: "StorageClass of the pv"),
                  TableColumn("VolumeAttributesClass", description: "VolumeAttributesClass of the pv"),
                  TableColumn("Reason", description: "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
                  .age,
                  TableColumn("VolumeMode", priority: 1, description: "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.")],
        cells: { o, now in
            let spec = o["spec"]
            var claim = ""
            if let ref = spec?["claimRef"], ref != .null { claim = "\(F.str(ref["namespace"]))/\(F.str(ref["name"]))" }
            var phase = F.str(o["status"]?["phase"])
            if F.isSet(o["metadata"]?["deletionTimestamp"]) { phase = "Terminating" }
            return [.string(F.name(o)), .string(F.scalarText(spec?["capacity"]?["storage"])), .string(accessModes(spec?["accessModes"])),
                    .string(F.str(spec?["persistentVolumeReclaimPolicy"])), .string(phase), .string(claim),
                    .string(storageClass(o)), .string(spec?["volumeAttributesClassName"]?.string ?? "<unset>"),
                    .string(F.str(o["status"]?["reason"])), F.age(o, now),
                    .string(spec?["volumeMode"]?.string ?? "<unset>")]
        })

    /// PersistentVolumeClaims: Name, Status, Volume, Capacity, Access Modes, StorageClass,
    /// VolumeAttributesClass, Age; wide VolumeMode.
    static let persistentVolumeClaim = TablePrinter(
        columns: [.name, TableColumn("Status", description: "phase represents the current phase of PersistentVolumeClaim."),
                  TableColumn("Volume", description: "volumeName is the binding reference to the PersistentVolume backing this claim."),
                  TableColumn("Capacity", description: "capacity represents the actual resources of the underlying volume."),
                  TableColumn("Access Modes", description: "accessModes contains the actual access modes the volume backing the PVC has."),
                  TableColumn("StorageClass", description: "StorageClass of the pvc"),
                  TableColumn("VolumeAttributesClass", description: "VolumeAttributesClass of the pvc"),
                  .age,
                  TableColumn("VolumeMode", priority: 1, description: "volumeMode defines what type of volume is required by the claim.")],
        cells: { o, now in
            let spec = o["spec"], status = o["status"]
            var phase = F.str(status?["phase"])
            if F.isSet(o["metadata"]?["deletionTimestamp"]) { phase = "Terminating" }
            let volume = F.str(spec?["volumeName"])
            var capacity = "", modes = ""
            if !volume.isEmpty {
                modes = accessModes(status?["accessModes"])
                capacity = F.scalarText(status?["capacity"]?["storage"])
            }
            return [.string(F.name(o)), .string(phase), .string(volume), .string(capacity), .string(modes),
                    .string(storageClass(o)), .string(spec?["volumeAttributesClassName"]?.string ?? "<unset>"),
                    F.age(o, now), .string(spec?["volumeMode"]?.string ?? "<unset>")]
        })

    /// ResourceQuotas: Name, Request, Limit, Age (`resource: used/hard` pairs, `limits.*` apart).
    static let resourceQuota = TablePrinter(
        columns: [.name, TableColumn("Request", description: "Request represents a minimum amount of cpu/memory that a container may consume."),
                  TableColumn("Limit", description: "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
                  .age],
        cells: { o, now in
            let hard = o["status"]?["hard"]?.object ?? [:], used = o["status"]?["used"]?.object ?? [:]
            var request: [String] = [], limit: [String] = []
            for r in hard.keys.sorted() {
                let u = used[r].map { F.scalarText($0) } ?? "0"
                let entry = "\(r): \(u)/\(F.scalarText(hard[r]))"
                let pieces = r.split(separator: ".")
                if pieces.count > 1 && pieces[0] == "limits" { limit.append(entry) } else { request.append(entry) }
            }
            return [.string(F.name(o)), .string(request.joined(separator: ", ")), .string(limit.joined(separator: ", ")), F.age(o, now)]
        })

    // MARK: networking.k8s.io

    /// Ingresses: Name, Class, Hosts, Address, Ports, Age.
    static let ingress = TablePrinter(
        columns: [.name, TableColumn("Class", description: "The name of the IngressClass resource that should be used for additional configuration"),
                  TableColumn("Hosts", description: "Hosts that incoming requests are matched against before the ingress rule"),
                  TableColumn("Address", description: "Address is a list containing ingress points for the load-balancer"),
                  TableColumn("Ports", description: "Ports of TLS configurations that open"), .age],
        cells: { o, now in
            let spec = o["spec"]
            let rules = F.arr(spec?["rules"])
            var hosts: [String] = [], more = false
            for r in rules {
                if hosts.count == 3 { more = true }
                if !more, let h = r["host"]?.string, !h.isEmpty { hosts.append(h) }
            }
            var hostText = hosts.isEmpty ? "*" : hosts.joined(separator: ",")
            if !hosts.isEmpty && more { hostText += " + \(rules.count - 3) more..." }
            let ports = F.arr(spec?["tls"]).isEmpty ? "80" : "80, 443"
            return [.string(F.name(o)), .string(spec?["ingressClassName"]?.string ?? "<none>"), .string(hostText),
                    .string(F.loadBalancer(o["status"]?["loadBalancer"])), .string(ports), F.age(o, now)]
        })

    /// IngressClasses: Name, Controller, Parameters, Age.
    static let ingressClass = TablePrinter(
        columns: [.name, TableColumn("Controller", description: "Controller that is responsible for handling this class"),
                  TableColumn("Parameters", description: "A reference to a resource with additional parameters"), .age],
        cells: { o, now in
            var parameters = "<none>"
            if let p = o["spec"]?["parameters"], p != .null {
                parameters = F.str(p["kind"])
                if let g = p["apiGroup"]?.string { parameters += "." + g }
                parameters += "/" + F.str(p["name"])
            }
            return [.string(F.name(o)), .string(F.str(o["spec"]?["controller"])), .string(parameters), F.age(o, now)]
        })

    /// NetworkPolicies: Name, Pod-Selector, Age.
    static let networkPolicy = TablePrinter(
        columns: [.name, TableColumn("Pod-Selector", description: "Selects the pods to which this NetworkPolicy object applies."), .age],
        cells: { o, now in
            // FormatLabelSelector of a non-nil (possibly empty) selector.
            [.string(F.name(o)), .string(F.labelSelector(o["spec"]?["podSelector"] ?? .object([:]))), F.age(o, now)]
        })

    /// ServiceCIDRs: Name, CIDRs, Age.
    static let serviceCIDR = TablePrinter(
        columns: [.name, TableColumn("CIDRs", description: "CIDRs defines the IP blocks in CIDR notation (e.g. \"192.168.0.0/24\" or \"2001:db8::/64\") from which to assign service cluster IPs."), .age],
        cells: { o, now in
            [.string(F.name(o)), .string(F.arr(o["spec"]?["cidrs"]).compactMap(\.string).joined(separator: ",")), F.age(o, now)]
        })

    /// IPAddresses: Name, ParentRef (kube prints an Age cell without a column; kubectl ignores
    /// it, so it is left out here).
    static let ipAddress = TablePrinter(
        columns: [.name, TableColumn("ParentRef", description: "ParentRef references the resource that an IPAddress is attached to.")],
        cells: { o, _ in
            var parent = "<none>"
            if let ref = o["spec"]?["parentRef"], ref != .null {
                let group = F.str(ref["group"]), resource = F.str(ref["resource"])
                parent = (group.isEmpty ? resource : "\(resource).\(group)").lowercased()
                if let ns = ref["namespace"]?.string, !ns.isEmpty { parent += "/" + ns }
                parent += "/" + F.str(ref["name"])
            }
            return [.string(F.name(o)), .string(parent)]
        })
}
