/// networking/v1's defaults: `SetDefaults_NetworkPolicyPort` (protocol TCP),
/// `SetDefaults_NetworkPolicy` (policyTypes from the rules) and `SetDefaults_IngressClass`
/// (parameters scoped to the cluster).
public enum NetworkingDefaults {
    /// A NetworkPolicy with its defaults.
    @Sendable public static func networkPolicy(_ input: JSONValue) -> JSONValue {
        var object = input
        var spec = JSONValue.objectOrEmpty(object["spec"])
        for direction in ["ingress", "egress"] {
            spec.modifyEach(direction) { rule in
                rule.modifyEach("ports") { port in port.setDefault("protocol", .string("TCP")) }
            }
        }
        if (spec["policyTypes"]?.array ?? []).isEmpty {
            // Any policy implies Ingress; one with egress rules implies Egress too.
            var types: [JSONValue] = [.string("Ingress")]
            if !(spec["egress"]?.array ?? []).isEmpty { types.append(.string("Egress")) }
            spec["policyTypes"] = .array(types)
        }
        object["spec"] = spec
        return object
    }

    /// An IngressClass with its defaults.
    @Sendable public static func ingressClass(_ input: JSONValue) -> JSONValue {
        var object = input
        if var parameters = object["spec"]?["parameters"], case .object = parameters {
            if parameters["scope"] == nil || parameters["scope"] == .null { parameters["scope"] = .string("Cluster") }
            object["spec"]?["parameters"] = parameters
        }
        return object
    }
}
