/// The per-type `PrepareForCreate` and `PrepareForUpdate` of kube-apiserver's registry
/// strategies, for what they do beyond defaulting: fresh status on create, generated Job
/// selectors, DaemonSet template generations, Namespace finalizers and phase, and the pod
/// admission steps that need nothing but the pod.
public enum TypeStrategies {
    /// The DaemonSet annotation that carries v1's view of `spec.templateGeneration`.
    public static let daemonSetTemplateGeneration = "deprecated.daemonset.template.generation"
    /// The finalizer the namespace controller clears once a namespace is empty.
    public static let namespaceFinalizer = "kubernetes"

    /// A new object as its strategy prepares it (after defaulting, identity assigned).
    public static func prepareForCreate(_ input: JSONValue, _ type: ResourceType) -> JSONValue {
        var object = input
        switch (type.group, type.kind) {
        case ("", "Service"):
            object = ServiceAllocatedValues.normalizedForCreate(object)
        case ("", "Pod"):
            object = PodAdmission.withDefaultTolerations(PodAdmission.withDefaultServiceAccount(object))
            object["status"] = initialPodStatus(object["spec"])
        case ("", "Namespace"):
            var spec = JSONValue.objectOrEmpty(object["spec"])
            var finalizers = spec["finalizers"]?.array ?? []
            if !finalizers.contains(.string(namespaceFinalizer)) { finalizers.append(.string(namespaceFinalizer)) }
            spec["finalizers"] = .array(finalizers)
            object["spec"] = spec
            object["status"] = .object(["phase": .string("Active")])
        case ("batch", "Job"):
            object = BatchDefaults.generatingSelector(object)
            object["status"] = .object([:])
        case ("apps", "DaemonSet"):
            let given = Int(annotation(object, daemonSetTemplateGeneration) ?? "") ?? 0
            setAnnotation(&object, daemonSetTemplateGeneration, String(max(given, 1)))
            object["status"] = zeroStatus(["currentNumberScheduled", "desiredNumberScheduled", "numberMisscheduled", "numberReady"])
        case ("apps", "Deployment"), ("batch", "CronJob"):
            object["status"] = .object([:])
        case ("apps", "ReplicaSet"), ("", "ReplicationController"):
            object["status"] = zeroStatus(["replicas"])
        case ("apps", "StatefulSet"):
            object["status"] = zeroStatus(["replicas", "availableReplicas"])
        default:
            break
        }
        return object
    }

    /// An update as its strategy prepares it, given the stored object; `subresource` is nil for
    /// the object itself, else `finalize` (`status` is handled by the caller).
    public static func prepareForUpdate(_ input: JSONValue, existing: JSONValue, _ type: ResourceType,
                                        subresource: String?) -> JSONValue {
        var object = input
        switch (type.group, type.kind) {
        case ("", "Namespace"):
            // Only /finalize changes spec.finalizers; no update here changes the phase.
            object["status"] = existing["status"]
            if subresource != "finalize" {
                var spec = JSONValue.objectOrEmpty(object["spec"])
                spec["finalizers"] = existing["spec"]?["finalizers"]
                object["spec"] = spec
            }
        case ("", "Service"):
            object = ServiceAllocatedValues.patchedForUpdate(object, existing: existing)
        case ("", "Pod"):
            object = PodAdmission.withDefaultTolerations(object)
        case ("apps", "DaemonSet"):
            // The template generation is the server's: it moves when the template does.
            let stored = Int(annotation(existing, daemonSetTemplateGeneration) ?? "") ?? 0
            let changed = object["spec"]?["template"] != existing["spec"]?["template"]
            setAnnotation(&object, daemonSetTemplateGeneration, String(changed ? stored + 1 : stored))
        default:
            break
        }
        return object
    }

    /// `ValidateNamespaceFinalizeUpdate`'s check of `spec.finalizers`: each a qualified name,
    /// and one without a `/` only a standard finalizer (`kubernetes`, `orphan`,
    /// `foregroundDeletion`).
    public static func namespaceFinalizerErrors(_ namespace: JSONValue) -> [FieldError] {
        let standard: Set<String> = [namespaceFinalizer, "orphan", "foregroundDeletion"]
        var errors: [FieldError] = []
        for (index, item) in (namespace["spec"]?["finalizers"]?.array ?? []).enumerated() {
            let name = item.string ?? ""
            let field = "spec.finalizers[\(index)]"
            if let problem = NameValidation.qualifiedNameProblem(name) {
                errors.append(FieldError(field: field, .invalid(value: .string(name), detail: problem)))
            }
            if !name.contains("/"), !standard.contains(name) {
                errors.append(FieldError(field: field, .invalid(value: .string(name), detail: "name is neither a standard finalizer name nor is it fully qualified")))
            }
        }
        return errors
    }

    /// The pod strategy's fresh status: Pending, the QoS class, and the PodScheduled=False
    /// condition while scheduling gates hold the pod.
    static func initialPodStatus(_ spec: JSONValue?) -> JSONValue {
        var status: [String: JSONValue] = ["phase": .string("Pending"), "qosClass": .string(PodDefaults.qosClass(of: spec))]
        if !(spec?["schedulingGates"]?.array ?? []).isEmpty {
            status["conditions"] = .array([.object([
                "type": .string("PodScheduled"), "status": .string("False"), "reason": .string("SchedulingGated"),
                "message": .string("Scheduling is blocked due to non-empty scheduling gates"),
                "lastProbeTime": .null, "lastTransitionTime": .null,
            ])])
        }
        return .object(status)
    }

    /// A status whose required integer members are all zero, as Go writes an empty one.
    private static func zeroStatus(_ members: [String]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: members.map { ($0, JSONValue.integer(0)) }))
    }

    private static func annotation(_ object: JSONValue, _ key: String) -> String? {
        object["metadata"]?["annotations"]?[key]?.string
    }

    private static func setAnnotation(_ object: inout JSONValue, _ key: String, _ value: String) {
        var meta = object["metadata"] ?? .object([:])
        var annotations = meta["annotations"]?.object ?? [:]
        annotations[key] = .string(value)
        meta["annotations"] = .object(annotations)
        object["metadata"] = meta
    }
}
