import Foundation

/// The defaults of the built-in types clients read back (kube's `SetDefaults_*` for the
/// workloads, Pods, volumes and claims, Namespaces, Services and Secrets), one entry point.
public enum TypeDefaults {
    /// `input` with the defaults of its type filled in where fields are absent.
    public static func apply(_ input: JSONValue, _ type: ResourceType) -> JSONValue {
        guard let defaults = byKind["\(type.group)/\(type.kind)"] else { return input }
        return defaults(input)
    }

    /// Each defaulted kind's defaults, by `<group>/<kind>`.
    private static let byKind: [String: @Sendable (JSONValue) -> JSONValue] = [
        "apps/Deployment": WorkloadDefaults.deployment,
        "apps/ReplicaSet": WorkloadDefaults.replicaSet,
        "apps/StatefulSet": WorkloadDefaults.statefulSet,
        "apps/DaemonSet": WorkloadDefaults.daemonSet,
        "/ReplicationController": WorkloadDefaults.replicationController,
        "batch/Job": BatchDefaults.job,
        "batch/CronJob": BatchDefaults.cronJob,
        "/PodTemplate": { object in
            var template = object
            template["template"] = WorkloadDefaults.podTemplate(object["template"])
            return template
        },
        "/Pod": PodDefaults.pod,
        "/PersistentVolume": StorageDefaults.persistentVolume,
        "/PersistentVolumeClaim": StorageDefaults.claim,
        "storage.k8s.io/StorageClass": StorageDefaults.storageClass,
        "scheduling.k8s.io/PriorityClass": { object in
            var priorityClass = object
            priorityClass.setDefault("preemptionPolicy", .string("PreemptLowerPriority"))
            return priorityClass
        },
        "/Namespace": namespace,
        "rbac.authorization.k8s.io/RoleBinding": RBACDefaults.binding,
        "rbac.authorization.k8s.io/ClusterRoleBinding": RBACDefaults.binding,
        "networking.k8s.io/NetworkPolicy": NetworkingDefaults.networkPolicy,
        "networking.k8s.io/IngressClass": NetworkingDefaults.ingressClass,
        "/Service": service,
        "/Secret": secret,
    ]

    /// `SetDefaults_Secret` (type Opaque), and `stringData` folded into `data` as the Secret
    /// storage does.
    private static func secret(_ input: JSONValue) -> JSONValue {
        var object = input
        object.setDefault("type", .string("Opaque"))
        if let stringData = object["stringData"]?.object {
            var data = object["data"]?.object ?? [:]
            for (k, v) in stringData { data[k] = .string(Data((v.string ?? "").utf8).base64EncodedString()) }
            object["data"] = .object(data)
            object["stringData"] = nil
        }
        return object
    }

    private static func namespace(_ input: JSONValue) -> JSONValue {
        var object = input
        var status = object["status"] ?? .object([:])
        if status["phase"] == nil { status["phase"] = .string("Active") }
        object["status"] = status
        var meta = object["metadata"] ?? .object([:])
        var labels = meta["labels"] ?? .object([:])
        if let name = meta["name"]?.string, !name.isEmpty { labels["kubernetes.io/metadata.name"] = .string(name) }
        meta["labels"] = labels
        object["metadata"] = meta
        return object
    }

    /// `SetDefaults_Service`, and the IP family fields the Service storage fills in before it
    /// allocates (single-stack IPv4; RequireDualStack for a headless Service without a selector).
    private static func service(_ input: JSONValue) -> JSONValue {
        var object = input
        var spec = JSONValue.objectOrEmpty(object["spec"])
        spec.setDefault("sessionAffinity", .string("None"))
        if spec["sessionAffinity"]?.string == "None" { spec["sessionAffinityConfig"] = nil }
        if spec["sessionAffinity"]?.string == "ClientIP", spec["sessionAffinityConfig"]?["clientIP"]?["timeoutSeconds"] == nil {
            spec["sessionAffinityConfig"] = .object(["clientIP": .object(["timeoutSeconds": .integer(10800)])])
        }
        spec.setDefault("type", .string("ClusterIP"))
        let type = spec["type"]?.string ?? ""
        spec.modifyEach("ports") { port in
            port.setDefault("protocol", .string("TCP"))
            if JSONValue.isUnset(port["targetPort"]) || port["targetPort"] == .integer(0) { port["targetPort"] = port["port"] }
        }
        let externallyAccessible = type == "LoadBalancer" || type == "NodePort"
            || (type == "ClusterIP" && !(spec["externalIPs"]?.array ?? []).isEmpty)
        if externallyAccessible { spec.setDefault("externalTrafficPolicy", .string("Cluster")) }
        if ["NodePort", "LoadBalancer", "ClusterIP"].contains(type) { spec.setDefault("internalTrafficPolicy", .string("Cluster")) }
        if type == "LoadBalancer" { spec.setDefault("allocateLoadBalancerNodePorts", .bool(true)) }
        if type != "ExternalName" {
            let selectorless = spec["selector"]?.object?.isEmpty ?? true
            let headless = spec["clusterIP"]?.string == "None"
            spec.setDefault("ipFamilyPolicy", .string(headless && selectorless ? "RequireDualStack" : "SingleStack"))
            spec.setDefault("ipFamilies", .array([.string("IPv4")]))
        }
        object["spec"] = spec
        if object["status"] == nil { object["status"] = .object(["loadBalancer": .object([:])]) }
        if type == "LoadBalancer" {
            // LoadBalancerIPMode (GA in 1.32): an ingress IP without a mode is a VIP.
            object["status"]?["loadBalancer"]?.modifyEach("ingress") { ingress in
                if !JSONValue.isUnset(ingress["ip"]) { ingress.setDefault("ipMode", .string("VIP")) }
            }
        }
        return object
    }
}
