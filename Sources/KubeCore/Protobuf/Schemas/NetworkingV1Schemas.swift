/// k8s.io/api/networking/v1 messages: Ingress, IngressClass and NetworkPolicy.
enum NetworkingV1Schemas {
    static let messages: [MessageSchema] = [
        MessageSchema("Ingress", [
            .field(1, "metadata", .message("ObjectMeta")),
            .field(2, "spec", .message("IngressSpec")),
            .field(3, "status", .message("IngressStatus")),
        ]),
        MessageSchema("IngressSpec", [
            .field(4, "ingressClassName", .string, .keep),
            .field(1, "defaultBackend", .message("IngressBackend")),
            .list(2, "tls", .message("IngressTLS")),
            .list(3, "rules", .message("IngressRule")),
        ]),
        MessageSchema("IngressBackend", [
            .field(4, "service", .message("IngressServiceBackend")),
            .field(3, "resource", .message("TypedLocalObjectReference")),
        ]),
        MessageSchema("IngressServiceBackend", [
            .field(1, "name", .string, .keep),
            .field(2, "port", .message("ServiceBackendPort")),
        ]),
        MessageSchema("ServiceBackendPort", [
            .field(1, "name", .string),
            .field(2, "number", .int32),
        ]),
        MessageSchema("IngressTLS", [
            .list(1, "hosts", .string),
            .field(2, "secretName", .string),
        ]),
        MessageSchema("IngressRule", [
            .field(1, "host", .string),
            // IngressRuleValue is embedded inline in Go's JSON.
            .inline(2, "IngressRuleValue"),
        ]),
        MessageSchema("IngressRuleValue", [
            .field(1, "http", .message("HTTPIngressRuleValue")),
        ]),
        MessageSchema("HTTPIngressRuleValue", [
            .list(1, "paths", .message("HTTPIngressPath")),
        ]),
        MessageSchema("HTTPIngressPath", [
            .field(1, "path", .string),
            .field(3, "pathType", .string, .keep),
            .field(2, "backend", .message("IngressBackend")),
        ]),
        MessageSchema("IngressStatus", [
            .field(1, "loadBalancer", .message("IngressLoadBalancerStatus")),
        ]),
        MessageSchema("IngressLoadBalancerStatus", [
            .list(1, "ingress", .message("IngressLoadBalancerIngress")),
        ]),
        MessageSchema("IngressLoadBalancerIngress", [
            .field(1, "ip", .string),
            .field(2, "hostname", .string),
            .list(4, "ports", .message("IngressPortStatus")),
        ]),
        MessageSchema("IngressPortStatus", [
            .field(1, "port", .int32, .keep),
            .field(2, "protocol", .string, .keep),
            .field(3, "error", .string, .keep),
        ]),
        MessageSchema("IngressClass", [
            .field(1, "metadata", .message("ObjectMeta")),
            .field(2, "spec", .message("IngressClassSpec")),
        ]),
        MessageSchema("IngressClassSpec", [
            .field(1, "controller", .string),
            .field(2, "parameters", .message("IngressClassParametersReference")),
        ]),
        MessageSchema("IngressClassParametersReference", [
            // The .proto spells it aPIGroup; the JSON tag is apiGroup.
            .field(1, "apiGroup", .string, .keep),
            .field(2, "kind", .string, .keep),
            .field(3, "name", .string, .keep),
            .field(4, "scope", .string, .keep),
            .field(5, "namespace", .string, .keep),
        ]),
        MessageSchema("NetworkPolicy", [
            .field(1, "metadata", .message("ObjectMeta")),
            .field(2, "spec", .message("NetworkPolicySpec")),
        ]),
        MessageSchema("NetworkPolicySpec", [
            .field(1, "podSelector", .message("LabelSelector")),
            .list(2, "ingress", .message("NetworkPolicyIngressRule")),
            .list(3, "egress", .message("NetworkPolicyEgressRule")),
            .list(4, "policyTypes", .string),
        ]),
        MessageSchema("NetworkPolicyIngressRule", [
            .list(1, "ports", .message("NetworkPolicyPort")),
            .list(2, "from", .message("NetworkPolicyPeer")),
        ]),
        MessageSchema("NetworkPolicyEgressRule", [
            .list(1, "ports", .message("NetworkPolicyPort")),
            .list(2, "to", .message("NetworkPolicyPeer")),
        ]),
        MessageSchema("NetworkPolicyPeer", [
            .field(1, "podSelector", .message("LabelSelector")),
            .field(2, "namespaceSelector", .message("LabelSelector")),
            .field(3, "ipBlock", .message("IPBlock")),
        ]),
        MessageSchema("NetworkPolicyPort", [
            .field(1, "protocol", .string, .keep),
            .field(2, "port", .intOrString, .keep),
            .field(3, "endPort", .int32, .keep),
        ]),
        MessageSchema("IPBlock", [
            .field(1, "cidr", .string, .keep),
            .list(2, "except", .string),
        ]),
    ]
}
