/// core/v1 Service: `ValidateService` (pkg/apis/core/validation) and, on update,
/// `ValidateServiceUpdate` (cluster IPs and families that may not change, then the Service
/// again). Node ports and health-check node ports are not allocated here, so their absence
/// is not reported.
enum ServiceValidation {
    /// The Service types, as `sets.List` sorts them.
    static let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
    /// `core.MaxClientIPServiceAffinitySeconds`.
    static let maxAffinitySeconds = 86400

    /// `ValidateServiceCreate` / `ValidateServiceUpdate` without the metadata checks.
    static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        if let old {
            errors += ServiceClusterIPValidation.upgradeDowngradeErrors(old, object)
            errors += ServiceClusterIPValidation.familyUpgradeDowngradeErrors(old, object)
            errors += loadBalancerClassErrors(object, old: old)
            if needsHealthCheck(old), needsHealthCheck(object),
               object["spec"]?["healthCheckNodePort"]?.int != old["spec"]?["healthCheckNodePort"]?.int {
                errors.append(FieldError(FieldPath("spec", "healthCheckNodePort"), .forbidden(detail: FieldChecks.immutableMessage)))
            }
        }
        return errors + serviceErrors(object)
    }

    /// `ValidateService` without the metadata name checks.
    static func serviceErrors(_ service: JSONValue) -> [FieldError] {
        let spec = service["spec"]
        let path = FieldPath("spec")
        let type = spec?["type"]?.string ?? ""
        let headless = ServiceClusterIPValidation.isHeadless(service)
        let ports = spec?["ports"]?.array ?? []
        var errors = topologyAnnotationErrors(service)
        if ports.isEmpty, !headless, type != "ExternalName" {
            errors.append(FieldError(path.child("ports"), .required(detail: "")))
        }
        let firstIP = FieldPath("spec", "clusterIPs").index(0)
        switch type {
        case "LoadBalancer" where headless:
            errors.append(FieldError(firstIP, .invalid(value: .string("None"), detail: "may not be set to 'None' for LoadBalancer services")))
        case "NodePort" where headless:
            errors.append(FieldError(firstIP, .invalid(value: .string("None"), detail: "may not be set to 'None' for NodePort services")))
        case "ExternalName":
            if !ServiceClusterIPValidation.clusterIPs(service).isEmpty {
                errors.append(FieldError(path.child("clusterIPs"), .forbidden(detail: "may not be set for ExternalName services")))
            }
            if !ServiceClusterIPValidation.ipFamilies(service).isEmpty {
                errors.append(FieldError(path.child("ipFamilies"), .forbidden(detail: "may not be set for ExternalName services")))
            }
            if JobSpecValidation.set(spec?["ipFamilyPolicy"]) != nil {
                errors.append(FieldError(path.child("ipFamilyPolicy"), .forbidden(detail: "may not be set for ExternalName services")))
            }
            var name = spec?["externalName"]?.string ?? ""
            // A CNAME may end with a dot to mark it fully qualified.
            if name.hasSuffix(".") { name.removeLast() }
            if name.isEmpty {
                errors.append(FieldError(path.child("externalName"), .required(detail: "")))
            } else if let problem = NameValidation.dnsSubdomainProblem(name) {
                errors.append(FieldError(path.child("externalName"), .invalid(value: .string(name), detail: problem)))
            }
        default:
            break
        }
        var names = Set<String>()
        for (index, port) in ports.enumerated() {
            errors += ServicePortValidation.errors(port, requireName: ports.count > 1, names: &names, path.child("ports").index(index))
        }
        if let selector = spec?["selector"], !selector.isNull {
            errors += SelectorValidation.labelErrors(selector, path.child("selector"))
        }
        errors += sessionAffinityErrors(spec, path)
        errors += ServiceClusterIPValidation.errors(service)
        for (index, ip) in (spec?["externalIPs"]?.array ?? []).enumerated() {
            let text = ip.string ?? ""
            let ipErrors = IPAddressCheck.ipErrors(text, path.child("externalIPs").index(index))
            errors += ipErrors.isEmpty ? IPAddressCheck.nonSpecialErrors(text, path.child("externalIPs").index(index)) : ipErrors
        }
        if type.isEmpty {
            errors.append(FieldError(path.child("type"), .required(detail: "")))
        } else if !types.contains(type) {
            errors.append(FieldError(path.child("type"), .notSupported(value: .string(type), supported: types)))
        }
        if type == "ClusterIP" {
            for (index, port) in ports.enumerated() where (port["nodePort"]?.int ?? 0) != 0 {
                errors.append(FieldError(path.child("ports").index(index).child("nodePort"), .forbidden(detail: "may not be used when `type` is 'ClusterIP'")))
            }
        }
        errors += duplicatePortErrors(ports, path.child("ports"))
        errors += sourceRangeErrors(service, type: type)
        if JobSpecValidation.set(spec?["allocateLoadBalancerNodePorts"]) != nil, type != "LoadBalancer" {
            errors.append(FieldError(path.child("allocateLoadBalancerNodePorts"), .forbidden(detail: "may only be used when `type` is 'LoadBalancer'")))
        }
        if type == "LoadBalancer", JobSpecValidation.set(spec?["allocateLoadBalancerNodePorts"]) == nil {
            // kube reports this one without the `spec.` prefix.
            errors.append(FieldError(FieldPath("allocateLoadBalancerNodePorts"), .required(detail: "")))
        }
        errors += loadBalancerClassErrors(service, old: nil)
        errors += trafficPolicyErrors(service, type: type)
        return errors
    }

    /// The session affinity and its ClientIP timeout (`validateClientIPAffinityConfig`).
    private static func sessionAffinityErrors(_ spec: JSONValue?, _ path: FieldPath) -> [FieldError] {
        let affinity = spec?["sessionAffinity"]?.string ?? ""
        let configPath = path.child("sessionAffinityConfig")
        let config = JobSpecValidation.set(spec?["sessionAffinityConfig"])
        switch affinity {
        case "":
            return [FieldError(path.child("sessionAffinity"), .required(detail: ""))]
        case "ClientIP":
            let detail = "when session affinity type is ClientIP"
            guard let config else { return [FieldError(configPath, .required(detail: detail))] }
            guard let clientIP = JobSpecValidation.set(config["clientIP"]) else {
                return [FieldError(configPath.child("clientIP"), .required(detail: detail))]
            }
            let timeoutPath = configPath.child("clientIP", "timeoutSeconds")
            guard let timeout = clientIP["timeoutSeconds"]?.int else { return [FieldError(timeoutPath, .required(detail: detail))] }
            if timeout <= 0 || timeout > maxAffinitySeconds {
                return [FieldError(timeoutPath, .invalid(value: .int(timeout), detail: "must be greater than 0 and less than \(maxAffinitySeconds)"))]
            }
            return []
        case "None":
            return config == nil ? [] : [FieldError(configPath, .forbidden(detail: "must not be set when session affinity is None"))]
        default:
            return [FieldError(path.child("sessionAffinity"), .notSupported(value: .string(affinity), supported: ["ClientIP", "None"]))]
        }
    }

    /// Duplicate node ports and duplicate (protocol, port) pairs.
    private static func duplicatePortErrors(_ ports: [JSONValue], _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var nodePorts = Set<String>()
        for (index, port) in ports.enumerated() {
            let nodePort = port["nodePort"]?.int ?? 0
            guard nodePort != 0 else { continue }
            if !nodePorts.insert("\(port["protocol"]?.string ?? "")/\(nodePort)").inserted {
                errors.append(FieldError(path.index(index).child("nodePort"), .duplicate(value: .int(nodePort))))
            }
        }
        var keys = Set<String>()
        for (index, port) in ports.enumerated() where !keys.insert("\(port["protocol"]?.string ?? "")/\(port["port"]?.int ?? 0)").inserted {
            errors.append(FieldError(path.index(index), .duplicate(value: .raw(ServicePortValidation.duplicateKeyShown(port)))))
        }
        return errors
    }

    /// `loadBalancerSourceRanges` (or its annotation): CIDRs, LoadBalancer Services only.
    private static func sourceRangeErrors(_ service: JSONValue, type: String) -> [FieldError] {
        let annotationKey = "service.beta.kubernetes.io/load-balancer-source-ranges"
        let ranges = service["spec"]?["loadBalancerSourceRanges"]?.array ?? []
        var errors: [FieldError] = []
        if !ranges.isEmpty {
            // kube names this path with a capital L.
            let path = FieldPath("spec", "LoadBalancerSourceRanges")
            if type != "LoadBalancer" {
                errors.append(FieldError(path, .forbidden(detail: "may only be used when `type` is 'LoadBalancer'")))
            }
            for (index, range) in ranges.enumerated() {
                errors += IPAddressCheck.cidrErrors(trimmed(range.string ?? ""), path.index(index))
            }
        } else if let value = service["metadata"]?["annotations"]?[annotationKey]?.string {
            let path = FieldPath("metadata", "annotations").key(annotationKey)
            if type != "LoadBalancer" {
                errors.append(FieldError(path, .forbidden(detail: "may only be used when `type` is 'LoadBalancer'")))
            }
            let text = trimmed(value)
            if !text.isEmpty {
                for cidr in text.split(separator: ",", omittingEmptySubsequences: false) {
                    errors += IPAddressCheck.cidrErrors(trimmed(String(cidr)), path)
                }
            }
        }
        return errors
    }

    /// `validateLoadBalancerClassField`: fixed once set on a LoadBalancer, a qualified name, and
    /// only for LoadBalancer Services.
    private static func loadBalancerClassErrors(_ service: JSONValue, old: JSONValue?) -> [FieldError] {
        let path = FieldPath("spec", "loadBalancerClass")
        let lbClass = JobSpecValidation.set(service["spec"]?["loadBalancerClass"])
        let isLoadBalancer = service["spec"]?["type"]?.string == "LoadBalancer"
        var errors: [FieldError] = []
        if let old {
            if old["spec"]?["type"]?.string == "LoadBalancer", isLoadBalancer,
               JobSpecValidation.set(old["spec"]?["loadBalancerClass"])?.string != lbClass?.string {
                errors.append(FieldError(path, .invalid(value: GoValue(lbClass), detail: "may not change once set")))
            }
        }
        if isLoadBalancer, let name = lbClass?.string {
            errors += LabelValidation.keyErrors(name).map { FieldError(path, .invalid(value: .string(name), detail: $0)) }
        } else if !isLoadBalancer, lbClass != nil {
            errors.append(FieldError(path, .forbidden(detail: "may only be used when `type` is 'LoadBalancer'")))
        }
        return errors
    }

    /// The external and internal traffic policies and the traffic distribution.
    private static func trafficPolicyErrors(_ service: JSONValue, type: String) -> [FieldError] {
        let spec = service["spec"]
        let path = FieldPath("spec")
        var errors: [FieldError] = []
        let external = spec?["externalTrafficPolicy"]?.string ?? ""
        if !externallyAccessible(service) {
            if !external.isEmpty {
                errors.append(FieldError(path.child("externalTrafficPolicy"), .invalid(value: .string(external), detail: "may only be set for externally-accessible services")))
            }
        } else if external.isEmpty {
            errors.append(FieldError(path.child("externalTrafficPolicy"), .required(detail: "")))
        } else if external != "Cluster", external != "Local" {
            errors.append(FieldError(path.child("externalTrafficPolicy"), .notSupported(value: .string(external), supported: ["Cluster", "Local"])))
        }
        let healthCheck = spec?["healthCheckNodePort"]?.int ?? 0
        if !needsHealthCheck(service) {
            if healthCheck != 0 {
                errors.append(FieldError(path.child("healthCheckNodePort"), .invalid(value: .int(healthCheck), detail: "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'")))
            }
        } else if healthCheck != 0, !(1...65535).contains(healthCheck) {
            errors.append(FieldError(path.child("healthCheckNodePort"), .invalid(value: .int(healthCheck), detail: ServicePortValidation.portRangeMessage)))
        }
        let internalPolicy = spec?["internalTrafficPolicy"]?.string
        if internalPolicy == nil, ["NodePort", "LoadBalancer", "ClusterIP"].contains(type) {
            errors.append(FieldError(path.child("internalTrafficPolicy"), .required(detail: "")))
        }
        if let internalPolicy, internalPolicy != "Cluster", internalPolicy != "Local" {
            errors.append(FieldError(path.child("internalTrafficPolicy"), .notSupported(value: .string(internalPolicy), supported: ["Cluster", "Local"])))
        }
        if let distribution = spec?["trafficDistribution"]?.string, distribution != "PreferClose" {
            errors.append(FieldError(path.child("trafficDistribution"), .notSupported(value: .string(distribution), supported: ["PreferClose"])))
        }
        return errors
    }

    /// The topology-mode annotation must agree with the deprecated topology-aware-hints one.
    private static func topologyAnnotationErrors(_ service: JSONValue) -> [FieldError] {
        let annotations = service["metadata"]?["annotations"]
        let hintsKey = "service.kubernetes.io/topology-aware-hints", modeKey = "service.kubernetes.io/topology-mode"
        guard let hints = annotations?[hintsKey]?.string, let mode = annotations?[modeKey]?.string, hints != mode else { return [] }
        return [FieldError(FieldPath("metadata", "annotations").key(modeKey), .invalid(value: .string(mode), detail: "must match annotations[\(hintsKey)] when both are specified"))]
    }

    /// `apiservice.ExternallyAccessible`.
    static func externallyAccessible(_ service: JSONValue) -> Bool {
        let type = service["spec"]?["type"]?.string ?? ""
        return type == "LoadBalancer" || type == "NodePort"
            || (type == "ClusterIP" && !(service["spec"]?["externalIPs"]?.array ?? []).isEmpty)
    }

    /// `apiservice.NeedsHealthCheck`: a LoadBalancer with the Local external policy.
    static func needsHealthCheck(_ service: JSONValue) -> Bool {
        service["spec"]?["type"]?.string == "LoadBalancer" && service["spec"]?["externalTrafficPolicy"]?.string == "Local"
    }

    private static func trimmed(_ text: String) -> String {
        String(text.drop { $0 == " " || $0 == "\t" || $0 == "\n" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\n" }.reversed())
    }
}
