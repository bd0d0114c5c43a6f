/// What kube-apiserver's default admission plugins write into a Pod on the way in:
/// DefaultTolerationSeconds, the ServiceAccount plugin's default account, and Priority's
/// resolution of `priorityClassName`. Pure functions; the caller supplies the PriorityClasses.
public enum PodAdmission {
    /// The taint a node that is not Ready carries.
    public static let notReadyTaint = "node.kubernetes.io/not-ready"
    /// The taint a node whose kubelet stopped reporting carries.
    public static let unreachableTaint = "node.kubernetes.io/unreachable"
    /// DefaultTolerationSeconds' period (its `--default-not-ready-toleration-seconds` and
    /// `--default-unreachable-toleration-seconds` default).
    public static let defaultTolerationSeconds = 300

    /// DefaultTolerationSeconds: a pod that does not already tolerate the not-ready or the
    /// unreachable NoExecute taint (an empty key or effect tolerates any) tolerates it for 300 s.
    public static func withDefaultTolerations(_ pod: JSONValue) -> JSONValue {
        guard case .object = pod else { return pod }
        var tolerations = pod["spec"]?["tolerations"]?.array ?? []
        for taint in [notReadyTaint, unreachableTaint] {
            let tolerated = tolerations.contains { toleration in
                let key = toleration["key"]?.string ?? ""
                let effect = toleration["effect"]?.string ?? ""
                return (key.isEmpty || key == taint) && (effect.isEmpty || effect == "NoExecute")
            }
            if !tolerated {
                tolerations.append(.object([
                    "key": .string(taint), "operator": .string("Exists"), "effect": .string("NoExecute"),
                    "tolerationSeconds": .integer(defaultTolerationSeconds),
                ]))
            }
        }
        var object = pod
        var spec = object["spec"] ?? .object([:])
        spec["tolerations"] = .array(tolerations)
        object["spec"] = spec
        return object
    }

    /// The ServiceAccount plugin's default: a pod that names no account runs as `default`
    /// (mirror pods, which the kubelet posts for static pods, are left alone).
    public static func withDefaultServiceAccount(_ pod: JSONValue) -> JSONValue {
        guard pod["metadata"]?["annotations"]?["kubernetes.io/config.mirror"] == nil,
              JSONValue.isUnset(pod["spec"]?["serviceAccountName"]) else { return pod }
        var object = pod
        var spec = object["spec"] ?? .object([:])
        spec["serviceAccountName"] = .string("default")
        spec["serviceAccount"] = .string("default")
        object["spec"] = spec
        return object
    }

    /// The Priority plugin on create: the pod's class (or, naming none, the global default
    /// class, else priority 0 with PreemptLowerPriority) gives `priority` and
    /// `preemptionPolicy`. 403 in the plugin's words for an unknown class, or a priority or
    /// policy in the spec that differs from the class's; `name` is the one the error reports
    /// (``KubeStatus/admissionName(_:)`` of the pod as the client sent it).
    public static func resolvingPriority(_ pod: JSONValue, priorityClasses: [JSONValue], name: String) throws -> JSONValue {
        let type = BuiltinResources.pods
        var spec = pod["spec"] ?? .object([:])
        var priority = 0
        var policy: JSONValue? = .string("PreemptLowerPriority")
        if let className = spec["priorityClassName"]?.string, !className.isEmpty {
            guard let priorityClass = priorityClasses.first(where: { $0["metadata"]?["name"]?.string == className }) else {
                throw KubeStatus.admissionForbidden(type, name: name, "no PriorityClass with name \(className) was found")
            }
            priority = priorityClass["value"]?.int ?? 0
            policy = priorityClass["preemptionPolicy"]
        } else if let globalDefault = globalDefaultClass(priorityClasses) {
            spec["priorityClassName"] = globalDefault["metadata"]?["name"]
            priority = globalDefault["value"]?.int ?? 0
            policy = globalDefault["preemptionPolicy"]
        }
        if let given = spec["priority"]?.int, given != priority {
            throw KubeStatus.admissionForbidden(type, name: name, "the integer value of priority (\(given)) must not be provided in pod spec; priority admission controller computed \(priority) from the given PriorityClass name")
        }
        spec["priority"] = .integer(priority)
        if let policy, let computed = policy.string {
            if let given = spec["preemptionPolicy"]?.string, given != computed {
                throw KubeStatus.admissionForbidden(type, name: name, "the string value of PreemptionPolicy (\(given)) must not be provided in pod spec; priority admission controller computed \(computed) from the given PriorityClass name")
            }
            spec["preemptionPolicy"] = policy
        }
        var object = pod
        object["spec"] = spec
        return object
    }

    /// The class marked `globalDefault`, the lowest-valued one when several are.
    static func globalDefaultClass(_ priorityClasses: [JSONValue]) -> JSONValue? {
        priorityClasses.filter { $0["globalDefault"]?.bool == true }
            .min { ($0["value"]?.int ?? 0) < ($1["value"]?.int ?? 0) }
    }
}
