import KubeCore

/// What the endpoint controllers read from a Pod (endpointslice's util/controller_utils.go).
enum PodEndpointInfo {
    /// Whether the pod belongs in endpoints at all: not Succeeded or Failed, with an IP, and,
    /// unless `includeTerminating`, not being deleted (`ShouldPodBeInEndpoints`).
    static func shouldBeInEndpoints(_ pod: JSONValue, includeTerminating: Bool) -> Bool {
        let phase = PodReadiness.phase(pod)
        if phase == "Succeeded" || phase == "Failed" { return false }
        if ips(pod).isEmpty { return false }
        return includeTerminating || !PodReadiness.isTerminating(pod)
    }

    /// `status.podIPs`, or `status.podIP` from a writer that sets only that.
    static func ips(_ pod: JSONValue) -> [String] {
        let listed = (pod[path: ["status", "podIPs"]]?.array ?? []).compactMap { $0["ip"]?.string }.filter { !$0.isEmpty }
        if !listed.isEmpty { return listed }
        return (pod[path: ["status", "podIP"]]?.string).map { $0.isEmpty ? [] : [$0] } ?? []
    }

    /// Whether an IP is IPv6.
    static func isIPv6(_ ip: String) -> Bool { ip.contains(":") }

    /// The pod's hostname when it is addressable through the Service: `spec.hostname` set and
    /// `spec.subdomain` naming the Service (`ShouldSetHostname`).
    static func hostname(_ pod: JSONValue, for service: ServiceSpec) -> String? {
        guard let hostname = pod[path: ["spec", "hostname"]]?.string, !hostname.isEmpty,
              pod[path: ["spec", "subdomain"]]?.string == service.name,
              ObjectMetadata.namespace(pod) == service.namespace else { return nil }
        return hostname
    }

    /// The container port a Service port reaches in `pod`: the number itself, or the named
    /// port of a container (or sidecar init container) with the same protocol (`FindPort`).
    static func findPort(_ pod: JSONValue, _ port: ServiceSpec.Port) -> Int? {
        switch port.target {
        case .number(let number):
            return number
        case .name(let name):
            let containers = pod[path: ["spec", "containers"]]?.array ?? []
            let sidecars = (pod[path: ["spec", "initContainers"]]?.array ?? []).filter { $0["restartPolicy"]?.string == "Always" }
            for container in containers + sidecars {
                for containerPort in container["ports"]?.array ?? []
                where containerPort["name"]?.string == name && (containerPort["protocol"]?.string ?? "TCP") == port.proto {
                    return containerPort["containerPort"]?.int
                }
            }
            return nil
        }
    }

    /// The pod as an endpoint's `targetRef`.
    static func targetRef(_ pod: JSONValue) -> TargetReference {
        TargetReference(namespace: ObjectMetadata.namespace(pod), name: ObjectMetadata.name(pod), uid: ObjectMetadata.uid(pod))
    }
}

/// An endpoint's `targetRef` to its Pod; its resourceVersion is left out, as upstream leaves it
/// out and ignores it when comparing.
struct TargetReference: Sendable, Hashable, Comparable {
    /// The pod's namespace.
    var namespace: String
    /// The pod's name.
    var name: String
    /// The pod's uid.
    var uid: String

    init(namespace: String, name: String, uid: String) {
        self.namespace = namespace
        self.name = name
        self.uid = uid
    }

    /// Reads a stored `targetRef`; nil for one that is not a Pod's.
    init?(_ json: JSONValue?) {
        guard let json, (json["kind"]?.string ?? "Pod") == "Pod" else { return nil }
        namespace = json["namespace"]?.string ?? ""
        name = json["name"]?.string ?? ""
        uid = json["uid"]?.string ?? ""
    }

    /// `{kind: Pod, namespace, name, uid}`.
    var json: JSONValue {
        .object(["kind": .string("Pod"), "namespace": .string(namespace), "name": .string(name), "uid": .string(uid)])
    }

    static func < (a: TargetReference, b: TargetReference) -> Bool { a.uid < b.uid }
}
