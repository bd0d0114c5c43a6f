/// kube-apiserver 1.33's Pod rules past the shared metadata checks: `ValidatePodCreate`
/// (`old` nil) and `ValidatePodUpdate`, registered for `/Pod` in ``KindValidators``.
public enum PodValidation {
    /// The fields a pod update may change, as the error message lists them.
    static let updatableFields = [
        "`spec.containers[*].image`",
        "`spec.initContainers[*].image`",
        "`spec.activeDeadlineSeconds`",
        "`spec.tolerations` (only additions to existing tolerations)",
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    ]

    /// The Pod errors of `pod` (create when `old` is nil, update otherwise).
    public static func errors(_ pod: JSONValue, old: JSONValue?) -> [FieldError] {
        guard let old else { return create(pod) }
        return update(pod, old: old)
    }

    /// `ValidatePodCreate` without `ValidateObjectMeta`.
    static func create(_ pod: JSONValue) -> [FieldError] {
        var errors = metadataAndSpec(pod)
        let spec = pod["spec"] ?? .object([:])
        let specPath = FieldPath("spec")
        if !GoFields.list(spec["ephemeralContainers"]).isEmpty {
            errors.append(FieldError(specPath.child("ephemeralContainers"), .forbidden(detail: "cannot be set on create")))
        }
        if !GoFields.string(spec["nodeName"]).isEmpty, !GoFields.list(spec["schedulingGates"]).isEmpty {
            errors.append(FieldError(specPath.child("nodeName"), .forbidden(detail: "cannot be set until all schedulingGates have been cleared")))
        }
        errors += PodSpecValidation.annotationsMatchFields(pod["metadata"]?["annotations"], spec: spec, specPath)
        return errors
    }

    /// `validatePodMetadataAndSpec` without `ValidateObjectMeta` (``ObjectMetaValidation``
    /// reports those first).
    static func metadataAndSpec(_ pod: JSONValue) -> [FieldError] {
        let spec = pod["spec"] ?? .object([:])
        let specPath = FieldPath("spec")
        var errors = PodSpecValidation.annotations(pod["metadata"]?["annotations"], spec: spec, FieldPath("metadata", "annotations"))
        errors += PodSpecValidation.errors(spec, podName: GoFields.string(pod["metadata"]?["name"]), resourceIsPod: true, specPath)
        if GoFields.string(spec["serviceAccountName"]).isEmpty {
            for (i, volume) in GoFields.list(spec["volumes"]).enumerated() {
                for (j, source) in GoFields.list(volume["projected"]?["sources"]).enumerated() where GoFields.isSet(source["serviceAccountToken"]) {
                    errors.append(FieldError(specPath.child("volumes").index(i).child("projected", "sources").index(j).child("serviceAccountToken"),
                                             .forbidden(detail: "must not be specified when serviceAccountName is not set")))
                }
            }
        }
        for key in ["containers", "initContainers"] {
            for (i, container) in GoFields.list(spec[key]).enumerated() {
                errors += ContainerValidation.onlyForPod(container, specPath.child(key).index(i))
            }
        }
        return errors
    }

    /// `ValidatePodUpdate` without `ValidateObjectMetaUpdate`.
    static func update(_ pod: JSONValue, old: JSONValue) -> [FieldError] {
        var errors = metadataAndSpec(pod)
        errors += annotationUpdates(pod, old: old)
        let spec = pod["spec"] ?? .object([:])
        let oldSpec = old["spec"] ?? .object([:])
        let specPath = FieldPath("spec")
        for key in ["containers", "initContainers"] {
            let (containerErrors, stop) = containerUpdates(GoFields.list(spec[key]), GoFields.list(oldSpec[key]), specPath.child(key))
            errors += containerErrors
            if stop { return errors }
        }
        let deadlinePath = specPath.child("activeDeadlineSeconds")
        if let deadline = spec["activeDeadlineSeconds"]?.int {
            if deadline < 0 || deadline > Int(Int32.max) {
                errors.append(FieldError(deadlinePath, .invalid(value: .int(deadline), detail: ValueFormats.inclusiveRange(0, Int(Int32.max)))))
                return errors
            }
            if let oldDeadline = oldSpec["activeDeadlineSeconds"]?.int, oldDeadline < deadline {
                errors.append(FieldError(deadlinePath, .invalid(value: .int(deadline), detail: "must be less than or equal to previous value")))
                return errors
            }
        } else if GoFields.isSet(oldSpec["activeDeadlineSeconds"]) {
            errors.append(FieldError(deadlinePath, .invalid(value: .null, detail: "must not update from a positive integer to nil value")))
        }
        errors += onlyAddedTolerations(GoFields.list(spec["tolerations"]), old: GoFields.list(oldSpec["tolerations"]), specPath.child("tolerations"))
        errors += onlyDeletedSchedulingGates(GoFields.list(spec["schedulingGates"]), old: GoFields.list(oldSpec["schedulingGates"]), specPath.child("schedulingGates"))
        if PodSpecDiff.semanticallyEqual(spec, oldSpec) { return errors }

        var munged = spec
        for key in ["containers", "initContainers"] {
            let oldContainers = GoFields.list(oldSpec[key])
            if var containers = munged[key]?.array {
                for i in containers.indices where i < oldContainers.count { containers[i]["image"] = oldContainers[i]["image"] }
                munged[key] = .array(containers)
            }
        }
        munged["activeDeadlineSeconds"] = oldSpec["activeDeadlineSeconds"]
        munged["schedulingGates"] = oldSpec["schedulingGates"]
        munged["tolerations"] = oldSpec["tolerations"]
        if let oldGrace = oldSpec["terminationGracePeriodSeconds"]?.int, oldGrace < 0, munged["terminationGracePeriodSeconds"]?.int == 1 {
            munged["terminationGracePeriodSeconds"] = oldSpec["terminationGracePeriodSeconds"]
        }
        if !PodSpecDiff.semanticallyEqual(munged, oldSpec) {
            let detail = "pod updates may not change fields other than \(updatableFields.joined(separator: ","))\n\(PodSpecDiff.render(old: oldSpec, new: munged))"
            errors.append(FieldError(specPath, .forbidden(detail: detail)))
        }
        return errors
    }

    /// `ValidatePodSpecificAnnotationUpdates`: the mirror-pod and AppArmor annotations are
    /// fixed once set, then the pod annotation checks once more (as upstream repeats them).
    private static func annotationUpdates(_ pod: JSONValue, old: JSONValue) -> [FieldError] {
        let path = FieldPath("metadata", "annotations")
        let new = Dictionary(GoFields.stringMap(pod["metadata"]?["annotations"]).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        let previous = GoFields.stringMap(old["metadata"]?["annotations"])
        var errors: [FieldError] = []
        let appArmorPrefix = "container.apparmor.security.beta.kubernetes.io/"
        for (key, value) in previous where new[key] != value {
            if key.hasPrefix(appArmorPrefix) { errors.append(FieldError(path.key(key), .forbidden(detail: "may not remove or update AppArmor annotations"))) }
            if key == "kubernetes.io/config.mirror" { errors.append(FieldError(path.key(key), .forbidden(detail: "may not remove or update mirror pod annotation"))) }
        }
        let oldKeys = Set(previous.map(\.key))
        for key in new.keys.sorted() where !oldKeys.contains(key) {
            if key.hasPrefix(appArmorPrefix) { errors.append(FieldError(path.key(key), .forbidden(detail: "may not add AppArmor annotations"))) }
            if key == "kubernetes.io/config.mirror" { errors.append(FieldError(path.key(key), .forbidden(detail: "may not add mirror pod annotation"))) }
        }
        return errors + PodSpecValidation.annotations(pod["metadata"]?["annotations"], spec: pod["spec"] ?? .object([:]), path)
    }

    /// `ValidateContainerUpdates`: the same number of containers, each with an image.
    private static func containerUpdates(_ new: [JSONValue], _ old: [JSONValue], _ path: FieldPath) -> ([FieldError], stop: Bool) {
        if new.count != old.count { return ([FieldError(path, .forbidden(detail: "pod updates may not add or remove containers"))], true) }
        var errors: [FieldError] = []
        for (i, container) in new.enumerated() {
            let image = GoFields.string(container["image"])
            if image.isEmpty { errors.append(FieldError(path.index(i).child("image"), .required(detail: ""))) }
            if image != image.trimmingCharacters(in: .whitespacesAndNewlines) {
                errors.append(FieldError(path.index(i).child("image"), .invalid(value: .string(image), detail: "must not have leading or trailing whitespace")))
            }
        }
        return (errors, false)
    }

    /// `validateOnlyAddedTolerations`: every old toleration is still there (its
    /// `tolerationSeconds` may change), then the new list's own checks.
    private static func onlyAddedTolerations(_ new: [JSONValue], old: [JSONValue], _ path: FieldPath) -> [FieldError] {
        func withoutSeconds(_ toleration: JSONValue) -> JSONValue {
            var copy = toleration
            copy["tolerationSeconds"] = nil
            return PodSpecDiff.normalized(copy)
        }
        let remaining = new.map(withoutSeconds)
        for toleration in old where !remaining.contains(withoutSeconds(toleration)) {
            return [FieldError(path, .forbidden(detail: "existing toleration can not be modified except its tolerationSeconds"))]
        }
        return SchedulingValidation.tolerations(new, path)
    }

    /// `validateOnlyDeletedSchedulingGates`.
    private static func onlyDeletedSchedulingGates(_ new: [JSONValue], old: [JSONValue], _ path: FieldPath) -> [FieldError] {
        let oldNames = Set(old.map { GoFields.string($0["name"]) })
        var added: [String: Int] = [:]
        for (i, gate) in new.enumerated() { added[GoFields.string(gate["name"])] = i }
        return added.filter { !oldNames.contains($0.key) }.sorted { $0.value < $1.value }.map { gate, i in
            FieldError(path.index(i).child("name"), .forbidden(detail: "only deletion is allowed, but found new scheduling gate '\(gate)'"))
        }
    }
}
