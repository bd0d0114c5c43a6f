/// core/v1 Service, its spec, ports and load-balancer status.
extension CoreV1Schemas {
    static let service: [MessageSchema] = [
        MessageSchema("Service", [
            .field(1, "metadata", .message("ObjectMeta")),
            .field(2, "spec", .message("ServiceSpec")),
            .field(3, "status", .message("ServiceStatus")),
        ]),
        MessageSchema("ServiceSpec", [
            .list(1, "ports", .message("ServicePort")),
            .map(2, "selector", .string),
            .field(3, "clusterIP", .string),
            .list(18, "clusterIPs", .string),
            .field(4, "type", .string),
            .list(5, "externalIPs", .string),
            .field(7, "sessionAffinity", .string),
            .field(8, "loadBalancerIP", .string),
            .list(9, "loadBalancerSourceRanges", .string),
            .field(10, "externalName", .string),
            .field(11, "externalTrafficPolicy", .string),
            .field(12, "healthCheckNodePort", .int32),
            .field(13, "publishNotReadyAddresses", .bool),
            .field(14, "sessionAffinityConfig", .message("SessionAffinityConfig")),
            .list(19, "ipFamilies", .string),
            .field(17, "ipFamilyPolicy", .string, .keep),
            .field(20, "allocateLoadBalancerNodePorts", .bool, .keep),
            .field(21, "loadBalancerClass", .string, .keep),
            .field(22, "internalTrafficPolicy", .string, .keep),
            .field(23, "trafficDistribution", .string, .keep),
        ]),
        MessageSchema("ServicePort", [
            .field(1, "name", .string),
            .field(2, "protocol", .string),
            .field(6, "appProtocol", .string, .keep),
            // port has no omitempty; targetPort is a value IntOrString, dropped when zero
            // (Go would print 0, which only means "same as port").
            .field(3, "port", .int32, .keep),
            .field(4, "targetPort", .intOrString),
            .field(5, "nodePort", .int32),
        ]),
        MessageSchema("SessionAffinityConfig", [
            .field(1, "clientIP", .message("ClientIPConfig")),
        ]),
        MessageSchema("ClientIPConfig", [
            .field(1, "timeoutSeconds", .int32, .keep),
        ]),
        MessageSchema("ServiceStatus", [
            .field(1, "loadBalancer", .message("LoadBalancerStatus")),
            .list(2, "conditions", .message("Condition")),
        ]),
        MessageSchema("LoadBalancerStatus", [
            .list(1, "ingress", .message("LoadBalancerIngress")),
        ]),
        MessageSchema("LoadBalancerIngress", [
            .field(1, "ip", .string),
            .field(2, "hostname", .string),
            .field(3, "ipMode", .string, .keep),
            .list(4, "ports", .message("PortStatus")),
        ]),
        MessageSchema("PortStatus", [
            .field(1, "port", .int32, .keep),
            .field(2, "protocol", .string, .keep),
            .field(3, "error", .string, .keep),
        ]),
    ]
}
