import Foundation

/// core/v1's defaults for everything that embeds a PodSpec (`SetDefaults_PodSpec`,
/// `SetDefaults_Container`, `SetDefaults_Volume`, probes, ports), and the `SetDefaults_Pod`
/// additions that only Pod objects get, not templates.
public enum PodDefaults {
    /// A PodSpec with its defaults: the ones a Deployment's template and a Pod share.
    public static func podSpec(_ input: JSONValue?) -> JSONValue {
        var spec = JSONValue.objectOrEmpty(input)
        spec.setDefault("dnsPolicy", .string("ClusterFirst"))
        spec.setDefault("restartPolicy", .string("Always"))
        spec.setDefault("securityContext", .object([:]))
        spec.setDefault("terminationGracePeriodSeconds", .integer(30))
        spec.setDefault("schedulerName", .string("default-scheduler"))
        // v1's deprecated `serviceAccount` is an alias: conversion fills the name from it, and
        // writes the name back into it.
        if JSONValue.isUnset(spec["serviceAccountName"]), let alias = spec["serviceAccount"], !JSONValue.isUnset(alias) {
            spec["serviceAccountName"] = alias
        }
        if let name = spec["serviceAccountName"], !JSONValue.isUnset(name) { spec["serviceAccount"] = name }
        for key in ["containers", "initContainers", "ephemeralContainers"] { spec.modifyEach(key) { $0 = container($0) } }
        spec.modifyEach("volumes") { $0 = volume($0) }
        return spec
    }

    /// A Pod with the PodSpec defaults and `SetDefaults_Pod`'s: service links on, requests taken
    /// from limits where unset, and on the host network every container port also a host port.
    public static func pod(_ input: JSONValue) -> JSONValue {
        var pod = input
        var spec = podSpec(pod["spec"])
        spec.setDefault("enableServiceLinks", .bool(true))
        let hostNetwork = spec["hostNetwork"]?.bool == true
        for key in ["containers", "initContainers"] {
            spec.modifyEach(key) { container in
                container = requestsFromLimits(container)
                if hostNetwork { container.modifyEach("ports") { $0 = hostPortFromContainerPort($0) } }
            }
        }
        pod["spec"] = spec
        return pod
    }

    /// `SetDefaults_Container` and the defaults of what a container holds.
    public static func container(_ input: JSONValue) -> JSONValue {
        var c = input
        c.setDefault("imagePullPolicy", .string(imagePullPolicy(image: c["image"]?.string ?? "")))
        c.setDefault("terminationMessagePath", .string("/dev/termination-log"))
        c.setDefault("terminationMessagePolicy", .string("File"))
        // A struct in Go, so always written, empty or not.
        c.setDefault("resources", .object([:]))
        c.modifyEach("ports") { $0.setDefault("protocol", .string("TCP")) }
        for key in ["livenessProbe", "readinessProbe", "startupProbe"] { c.modify(key) { $0 = probe($0) } }
        c.modify("lifecycle") { lifecycle in
            for hook in ["postStart", "preStop"] { lifecycle.modify(hook) { $0 = handlerDefaults($0) } }
        }
        c.modifyEach("env") { variable in
            variable.modify("valueFrom") { $0.modify("fieldRef", defaultAPIVersion) }
        }
        return c
    }

    /// `Always` when the image's tag is `latest` (also when it names neither tag nor digest, as
    /// `parsers.ParseImageName` then reads `latest`), `IfNotPresent` otherwise.
    public static func imagePullPolicy(image: String) -> String {
        let parts = image.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let hasDigest = parts.count == 2
        let lastSegment = parts[0].split(separator: "/").last.map(String.init) ?? ""
        let tag = lastSegment.lastIndex(of: ":").map { String(lastSegment[lastSegment.index(after: $0)...]) }
        if tag == nil { return hasDigest ? "IfNotPresent" : "Always" }
        return tag == "latest" ? "Always" : "IfNotPresent"
    }

    /// `SetDefaults_Probe` with its handler's defaults; zero counts as unset for its numbers.
    public static func probe(_ input: JSONValue) -> JSONValue {
        var p = handlerDefaults(input)
        for (key, value) in [("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3)]
            where p[key]?.int ?? 0 == 0 {
            p[key] = .integer(value)
        }
        return p
    }

    /// `SetDefaults_Volume` and the defaults of the volume sources that have any.
    public static func volume(_ input: JSONValue) -> JSONValue {
        var v = input
        // A volume that names no source is an emptyDir.
        if let members = v.object, members.keys.allSatisfy({ $0 == "name" }) { v["emptyDir"] = .object([:]) }
        v.modify("hostPath") { $0.setDefault("type", .string("")) }
        for key in ["secret", "configMap", "downwardAPI", "projected"] {
            v.modify(key) { source in
                source.setDefault("defaultMode", .integer(0o644))
                // Only downward API items have a fieldRef; the others' key-to-path items pass.
                source.modifyEach("items") { $0.modify("fieldRef", defaultAPIVersion) }
            }
        }
        v.modify("projected") { projected in
            projected.modifyEach("sources") { source in
                source.modify("downwardAPI") { api in
                    api.modifyEach("items") { $0.modify("fieldRef", defaultAPIVersion) }
                }
                source.modify("serviceAccountToken") { $0.setDefault("expirationSeconds", .integer(3600)) }
            }
        }
        v.modify("ephemeral") { ephemeral in
            ephemeral.modify("volumeClaimTemplate") { $0["spec"] = StorageDefaults.claimSpec($0["spec"]) }
        }
        return v
    }

    /// The pod's QoS class from its containers' cpu and memory (`qos.GetPodQOS`): none requested
    /// or limited → BestEffort; every container limiting both, with any request equal to its
    /// limit → Guaranteed; anything else → Burstable. Zero quantities count as unset.
    public static func qosClass(containers: [JSONValue]) -> String {
        var anySet = false
        var guaranteed = true
        for container in containers {
            let requests = (container["resources"]?["requests"]?.object ?? [:]).filter { !isZeroQuantity($0.value) }
            let limits = (container["resources"]?["limits"]?.object ?? [:]).filter { !isZeroQuantity($0.value) }
            for resource in ["cpu", "memory"] {
                let request = requests[resource], limit = limits[resource]
                if request != nil || limit != nil { anySet = true }
                if limit == nil || (request != nil && request != limit) { guaranteed = false }
            }
        }
        if !anySet { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }

    /// The QoS class of a PodSpec's containers and init containers.
    public static func qosClass(of spec: JSONValue?) -> String {
        qosClass(containers: (spec?["containers"]?.array ?? []) + (spec?["initContainers"]?.array ?? []))
    }

    // MARK: - Parts

    /// The HTTPGet and gRPC handler defaults shared by probes and lifecycle hooks.
    static func handlerDefaults(_ input: JSONValue) -> JSONValue {
        var h = input
        h.modify("httpGet") { action in
            action.setDefault("path", .string("/"))
            action.setDefault("scheme", .string("HTTP"))
        }
        h.modify("grpc") { $0.setDefault("service", .string("")) }
        return h
    }

    /// `SetDefaults_ObjectFieldSelector`: apiVersion v1.
    static func defaultAPIVersion(_ fieldRef: inout JSONValue) {
        fieldRef.setDefault("apiVersion", .string("v1"))
    }

    /// `SetDefaults_Pod`'s requests: each limit without a request becomes the request.
    static func requestsFromLimits(_ container: JSONValue) -> JSONValue {
        guard let limits = container["resources"]?["limits"]?.object, !limits.isEmpty else { return container }
        var c = container
        var resources = c["resources"] ?? .object([:])
        var requests = resources["requests"]?.object ?? [:]
        for (name, value) in limits where requests[name] == nil { requests[name] = value }
        resources["requests"] = .object(requests)
        c["resources"] = resources
        return c
    }

    /// `defaultHostNetworkPorts`: a port with no host port gets the container port.
    static func hostPortFromContainerPort(_ port: JSONValue) -> JSONValue {
        var p = port
        if p["hostPort"]?.int ?? 0 == 0, let containerPort = p["containerPort"] { p["hostPort"] = containerPort }
        return p
    }

    /// Whether a quantity is zero ("0", "0m", "0Gi", 0).
    static func isZeroQuantity(_ value: JSONValue) -> Bool {
        if let number = value.double { return number == 0 }
        guard let text = value.string else { return false }
        let digits = text.prefix { $0.isNumber || $0 == "." || $0 == "+" || $0 == "-" }
        return Double(digits) == 0
    }
}
