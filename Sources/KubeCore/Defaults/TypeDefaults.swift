import Foundation

/// The defaults of the built-in types clients most often read back (kube's `SetDefaults_*`
/// for Deployments, workloads, Pods, Namespaces, Services and Secrets).
public enum TypeDefaults {
    /// `input` with the defaults of its type filled in where fields are absent.
    public static func apply(_ input: JSONValue, _ type: ResourceType) -> JSONValue {
        var object = input
        switch (type.group, type.kind) {
        case ("apps", "Deployment"):
            var spec = object["spec"] ?? .object([:])
            if spec["replicas"] == nil { spec["replicas"] = .integer(1) }
            if spec["revisionHistoryLimit"] == nil { spec["revisionHistoryLimit"] = .integer(10) }
            if spec["progressDeadlineSeconds"] == nil { spec["progressDeadlineSeconds"] = .integer(600) }
            if spec["strategy"] == nil {
                spec["strategy"] = .object(["type": .string("RollingUpdate"), "rollingUpdate": .object(["maxUnavailable": .string("25%"), "maxSurge": .string("25%")])])
            }
            spec["template"] = podTemplate(spec["template"])
            object["spec"] = spec
            if object["status"] == nil { object["status"] = .object([:]) }
        case ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("batch", "Job"):
            var spec = object["spec"] ?? .object([:])
            if type.kind != "DaemonSet", type.kind != "Job", spec["replicas"] == nil { spec["replicas"] = .integer(1) }
            spec["template"] = podTemplate(spec["template"])
            object["spec"] = spec
        case ("", "Pod"):
            object["spec"] = podSpec(object["spec"])
            if object["status"] == nil {
                object["status"] = .object(["phase": .string("Pending"), "qosClass": .string("BestEffort")])
            }
        case ("", "Namespace"):
            object = namespace(object)
        case ("", "Service"):
            object = service(object)
        case ("", "Secret"):
            if object["type"] == nil { object["type"] = .string("Opaque") }
            if let stringData = object["stringData"]?.object {
                var data = object["data"]?.object ?? [:]
                for (k, v) in stringData { data[k] = .string(Data((v.string ?? "").utf8).base64EncodedString()) }
                object["data"] = .object(data)
                object["stringData"] = nil
            }
        default:
            break
        }
        return object
    }

    private static func namespace(_ input: JSONValue) -> JSONValue {
        var object = input
        var spec = object["spec"] ?? .object([:])
        if spec["finalizers"] == nil { spec["finalizers"] = .array([.string("kubernetes")]) }
        object["spec"] = spec
        var status = object["status"] ?? .object([:])
        if status["phase"] == nil { status["phase"] = .string("Active") }
        object["status"] = status
        var meta = object["metadata"] ?? .object([:])
        var labels = meta["labels"] ?? .object([:])
        if let name = meta["name"]?.string { labels["kubernetes.io/metadata.name"] = .string(name) }
        meta["labels"] = labels
        object["metadata"] = meta
        return object
    }

    private static func service(_ input: JSONValue) -> JSONValue {
        var object = input
        var spec = object["spec"] ?? .object([:])
        if spec["type"] == nil { spec["type"] = .string("ClusterIP") }
        if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = .string("None") }
        if spec["ipFamilies"] == nil { spec["ipFamilies"] = .array([.string("IPv4")]) }
        if spec["ipFamilyPolicy"] == nil { spec["ipFamilyPolicy"] = .string("SingleStack") }
        if spec["internalTrafficPolicy"] == nil { spec["internalTrafficPolicy"] = .string("Cluster") }
        if var ports = spec["ports"]?.array {
            for i in ports.indices {
                if ports[i]["protocol"] == nil { ports[i]["protocol"] = .string("TCP") }
                if ports[i]["targetPort"] == nil { ports[i]["targetPort"] = ports[i]["port"] }
            }
            spec["ports"] = .array(ports)
        }
        object["spec"] = spec
        if object["status"] == nil { object["status"] = .object(["loadBalancer": .object([:])]) }
        return object
    }

    private static func podTemplate(_ template: JSONValue?) -> JSONValue {
        var t = template ?? .object([:])
        if t["metadata"] == nil { t["metadata"] = .object([:]) }
        t["spec"] = podSpec(t["spec"])
        return t
    }

    private static func podSpec(_ spec: JSONValue?) -> JSONValue {
        var s = spec ?? .object([:])
        let defaults: [(String, JSONValue)] = [
            ("restartPolicy", .string("Always")), ("terminationGracePeriodSeconds", .integer(30)),
            ("dnsPolicy", .string("ClusterFirst")), ("securityContext", .object([:])),
            ("schedulerName", .string("default-scheduler")),
        ]
        for (k, v) in defaults where s[k] == nil { s[k] = v }
        if var containers = s["containers"]?.array {
            for i in containers.indices {
                if containers[i]["terminationMessagePath"] == nil { containers[i]["terminationMessagePath"] = .string("/dev/termination-log") }
                if containers[i]["terminationMessagePolicy"] == nil { containers[i]["terminationMessagePolicy"] = .string("File") }
                if containers[i]["resources"] == nil { containers[i]["resources"] = .object([:]) }
                if containers[i]["imagePullPolicy"] == nil {
                    let image = containers[i]["image"]?.string ?? ""
                    let latest = !image.contains(":") || image.hasSuffix(":latest")
                    containers[i]["imagePullPolicy"] = .string(latest ? "Always" : "IfNotPresent")
                }
            }
            s["containers"] = .array(containers)
        }
        return s
    }
}
