/// What discovery says about one subresource: the kind it answers with and the verbs it takes.
///
/// kube-apiserver reports these per subresource (`pods/exec` answers with `PodExecOptions` and
/// takes `create`/`get`; `deployments/scale` answers with `autoscaling/v1` `Scale`). Kept as a
/// rule table rather than per-resource data so that CRD `status`/`scale` come out the same way.
public struct SubresourceInfo: Sendable, Hashable {
    /// The subresource name, e.g. `status`.
    public var name: String
    /// The group of the response kind; empty for core.
    public var group: String
    /// The version of the response kind.
    public var version: String
    /// The response kind, e.g. `Scale`.
    public var kind: String
    /// The verbs discovery lists for `<resource>/<subresource>`.
    public var verbs: [String]

    /// Creates a subresource description.
    public init(name: String, group: String, version: String, kind: String, verbs: [String]) {
        self.name = name
        self.group = group
        self.version = version
        self.kind = kind
        self.verbs = verbs
    }
}

extension ResourceType {
    /// The discovery description of one of this resource's subresources, following
    /// kube-apiserver's registrations (pkg/registry/*/storage).
    public func subresourceInfo(_ name: String) -> SubresourceInfo {
        // Most subresources answer with the parent's own kind.
        func own(_ verbs: [String]) -> SubresourceInfo {
            SubresourceInfo(name: name, group: group, version: version, kind: kind, verbs: verbs)
        }
        func core(_ kind: String, _ verbs: [String]) -> SubresourceInfo {
            SubresourceInfo(name: name, group: "", version: "v1", kind: kind, verbs: verbs)
        }
        let readWrite = ["get", "patch", "update"]
        switch name {
        case "status", "ephemeralcontainers", "resize", "approval":
            return own(readWrite)
        case "scale":
            return SubresourceInfo(name: name, group: "autoscaling", version: "v1", kind: "Scale", verbs: readWrite)
        case "log":
            return core("Pod", ["get"])
        case "exec":
            return core("PodExecOptions", ["create", "get"])
        case "attach":
            return core("PodAttachOptions", ["create", "get"])
        case "portforward":
            return core("PodPortForwardOptions", ["create", "get"])
        case "proxy":
            // PodProxyOptions, NodeProxyOptions, ServiceProxyOptions.
            return core(kind + "ProxyOptions", ["create", "delete", "get", "patch", "update"])
        case "binding":
            return core("Binding", ["create"])
        case "eviction":
            return SubresourceInfo(name: name, group: "policy", version: "v1", kind: "Eviction", verbs: ["create"])
        case "finalize":
            return own(["update"])
        case "token":
            return SubresourceInfo(name: name, group: "authentication.k8s.io", version: "v1", kind: "TokenRequest", verbs: ["create"])
        default:
            return own(readWrite)
        }
    }

    /// Every subresource's discovery description, in the order of `subresources`.
    public var subresourceInfos: [SubresourceInfo] { subresources.map(subresourceInfo) }
}
