import Foundation
import KubeCore

/// What kube-apiserver fills in on create and keeps on update: identity, timestamps,
/// generation, and the per-type defaults clients read back (kubectl shows them, apply diffs
/// against them).
enum ObjectDefaults {
    /// RFC 3339 in UTC with second precision, as `metav1.Time` serialises.
    static func timestamp(_ date: Date = Date()) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// Kinds whose `metadata.generation` tracks spec changes.
    static func hasGeneration(_ type: ResourceType) -> Bool {
        !(type.group.isEmpty && ["ConfigMap", "Secret", "Event", "Endpoints", "ServiceAccount", "Namespace", "Node", "Pod"].contains(type.kind))
            && type.kind != "Lease"
    }

    /// Prepares a new object: apiVersion/kind, name from generateName, uid, creation time,
    /// generation, namespace, per-type defaults.
    static func forCreate(_ input: JSONValue, _ type: ResourceType, namespace: String?, fieldManager: String?) -> JSONValue {
        var object = input
        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        var meta = object["metadata"] ?? .object([:])
        if (meta["name"]?.string ?? "").isEmpty, let prefix = meta["generateName"]?.string, !prefix.isEmpty {
            meta["name"] = .string(prefix + randomSuffix())
        }
        if type.namespaced, let namespace { meta["namespace"] = .string(namespace) }
        if !type.namespaced { meta["namespace"] = nil }
        meta["uid"] = .string(UUID().uuidString.lowercased())
        let now = timestamp()
        meta["creationTimestamp"] = .string(now)
        meta["resourceVersion"] = nil
        meta["deletionTimestamp"] = nil
        meta["selfLink"] = nil
        if hasGeneration(type) { meta["generation"] = .integer(1) } else { meta["generation"] = nil }
        if let manager = fieldManager, !manager.isEmpty, meta["managedFields"] == nil {
            meta["managedFields"] = .array([managedFieldsEntry(manager: manager, operation: "Update", apiVersion: type.apiVersion, time: now, object: object)])
        }
        object["metadata"] = meta
        return typeDefaults(object, type)
    }

    /// Carries what a client may not change from the stored object into an update, and bumps
    /// generation when the spec changed.
    static func forUpdate(_ input: JSONValue, existing: JSONValue, _ type: ResourceType, subresource: String?) -> JSONValue {
        var object = input
        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        var meta = object["metadata"] ?? .object([:])
        let old = existing["metadata"] ?? .object([:])
        for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "namespace"] {
            meta[field] = old[field]
        }
        meta["selfLink"] = nil
        if subresource == "status" {
            // PUT .../status changes only the status.
            var merged = existing
            merged["status"] = input["status"]
            merged["metadata"] = existing["metadata"]
            if var m = merged["metadata"] { m["resourceVersion"] = meta["resourceVersion"]; merged["metadata"] = m }
            return merged
        }
        if type.subresources.contains("status"), subresource == nil {
            // The main resource ignores status changes when a status subresource exists.
            object["status"] = existing["status"]
        }
        if hasGeneration(type) {
            let generation = old["generation"]?.intValue ?? 1
            let changed = object["spec"] != existing["spec"]
            meta["generation"] = .integer(changed ? generation + 1 : generation)
        }
        object["metadata"] = meta
        return typeDefaults(object, type)
    }

    /// One `managedFields` entry (fieldsV1 is reduced to the top-level fields set).
    static func managedFieldsEntry(manager: String, operation: String, apiVersion: String, time: String, object: JSONValue) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        for (key, value) in object.object ?? [:] where !["apiVersion", "kind", "status"].contains(key) {
            if key == "metadata" {
                var metaFields: [String: JSONValue] = [:]
                for (mk, mv) in value.object ?? [:] where ["labels", "annotations"].contains(mk) {
                    var inner: [String: JSONValue] = [:]
                    for k in (mv.object ?? [:]).keys { inner["f:\(k)"] = .object([:]) }
                    metaFields["f:\(mk)"] = .object(inner)
                }
                if !metaFields.isEmpty { fields["f:metadata"] = .object(metaFields) }
            } else {
                var inner: [String: JSONValue] = [:]
                if case .object(let o) = value { for k in o.keys { inner["f:\(k)"] = .object([:]) } }
                fields["f:\(key)"] = .object(inner)
            }
        }
        return .object([
            "manager": .string(manager), "operation": .string(operation), "apiVersion": .string(apiVersion),
            "time": .string(time), "fieldsType": .string("FieldsV1"), "fieldsV1": .object(fields),
        ])
    }

    /// kube's five-character name suffix alphabet (no vowels, no confusable characters).
    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement()! })
    }

    /// The defaults of the built-in types clients most often read back.
    static func typeDefaults(_ input: JSONValue, _ type: ResourceType) -> JSONValue {
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
            spec["template"] = podTemplateDefaults(spec["template"])
            object["spec"] = spec
            if object["status"] == nil { object["status"] = .object([:]) }
        case ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("batch", "Job"):
            var spec = object["spec"] ?? .object([:])
            if type.kind != "DaemonSet", type.kind != "Job", spec["replicas"] == nil { spec["replicas"] = .integer(1) }
            spec["template"] = podTemplateDefaults(spec["template"])
            object["spec"] = spec
        case ("", "Pod"):
            object["spec"] = podSpecDefaults(object["spec"])
            if object["status"] == nil {
                object["status"] = .object(["phase": .string("Pending"), "qosClass": .string("BestEffort")])
            }
        case ("", "Namespace"):
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
        case ("", "Service"):
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

    static func podTemplateDefaults(_ template: JSONValue?) -> JSONValue {
        var t = template ?? .object([:])
        if t["metadata"] == nil { t["metadata"] = .object([:]) }
        t["spec"] = podSpecDefaults(t["spec"])
        return t
    }

    static func podSpecDefaults(_ spec: JSONValue?) -> JSONValue {
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

extension JSONValue {
    /// The integer value, nil otherwise.
    var intValue: Int? {
        switch self {
        case .integer(let i): return i
        case .number(let d): return Int(exactly: d)
        default: return nil
        }
    }
}
