/// `ValidateNetworkPolicy(Update)` (networking validation): selectors, ports, peers and
/// policy types.
public enum NetworkPolicyValidation {
    /// The kind's rules (the same on update).
    @Sendable public static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        let spec = object["spec"] ?? .object([:])
        let path = FieldPath("spec")
        var errors = MetaV1Validation.labelSelector(spec["podSelector"] ?? .object([:]), path: path.child("podSelector"))
        for direction in [("ingress", "from"), ("egress", "to")] {
            for (index, rule) in (spec[direction.0]?.array ?? []).enumerated() {
                let rulePath = path.child(direction.0).index(index)
                for (portIndex, port) in (rule["ports"]?.array ?? []).enumerated() {
                    errors += portErrors(port, path: rulePath.child("ports").index(portIndex))
                }
                for (peerIndex, peer) in (rule[direction.1]?.array ?? []).enumerated() {
                    errors += peerErrors(peer, path: rulePath.child(direction.1).index(peerIndex))
                }
            }
        }
        let types = (spec["policyTypes"]?.array ?? []).map { $0.string ?? "" }
        if types.count > 2 {
            errors.append(FieldError(path.child("policyTypes"), .invalid(value: MetaV1Validation.goStringSlice(types), detail: "may not specify more than two policyTypes")))
            return errors
        }
        for (index, type) in types.enumerated() where type != "Ingress" && type != "Egress" {
            errors.append(FieldError(path.child("policyTypes").index(index), .notSupported(value: .string(type), supported: ["Ingress", "Egress"])))
        }
        return errors
    }

    /// `ValidateNetworkPolicyPort`.
    private static func portErrors(_ port: JSONValue, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if let proto = port["protocol"]?.string, !["TCP", "UDP", "SCTP"].contains(proto) {
            errors.append(FieldError(path.child("protocol"), .notSupported(value: .string(proto), supported: ["TCP", "UDP", "SCTP"])))
        }
        let endPort = port["endPort"]?.int
        switch port["port"] {
        case .integer(let number)?:
            errors += NameValidation.portNumberErrors(number).map { FieldError(path.child("port"), .invalid(value: .int(number), detail: $0)) }
            if let endPort {
                if endPort < number {
                    errors.append(FieldError(path.child("endPort"), .invalid(value: .int(endPort), detail: "must be greater than or equal to `port`")))
                }
                errors += NameValidation.portNumberErrors(endPort).map { FieldError(path.child("endPort"), .invalid(value: .int(endPort), detail: $0)) }
            }
        case .string(let name)?:
            if let endPort {
                errors.append(FieldError(path.child("endPort"), .invalid(value: .int(endPort), detail: "may not be specified when `port` is non-numeric")))
            }
            errors += NameValidation.portNameErrors(name).map { FieldError(path.child("port"), .invalid(value: .string(name), detail: $0)) }
        default:
            if let endPort {
                errors.append(FieldError(path.child("endPort"), .invalid(value: .int(endPort), detail: "may not be specified when `port` is not specified")))
            }
        }
        return errors
    }

    /// `ValidateNetworkPolicyPeer`: one kind of peer, or selectors together without an ipBlock.
    private static func peerErrors(_ peer: JSONValue, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var count = 0
        for key in ["podSelector", "namespaceSelector"] {
            guard let selector = peer[key], !selector.isNull else { continue }
            count += 1
            errors += MetaV1Validation.labelSelector(selector, path: path.child(key))
        }
        let ipBlock = peer["ipBlock"].flatMap { $0.isNull ? nil : $0 }
        if let ipBlock {
            count += 1
            if (ipBlock["cidr"]?.string ?? "").isEmpty {
                errors.append(FieldError(path.child("ipBlock", "cidr"), .required(detail: "")))
            }
        }
        if count == 0 {
            errors.append(FieldError(path, .required(detail: "must specify a peer")))
        } else if count > 1, ipBlock != nil {
            errors.append(FieldError(path, .forbidden(detail: "may not specify both ipBlock and another peer")))
        }
        return errors
    }
}
