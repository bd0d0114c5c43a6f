/// `ValidatePodTemplateSpecForReplicaSet`: the pod template of a ReplicaSet or Deployment (and,
/// with its own words, a DaemonSet's restart rules): labels matching the selector, the pod
/// template itself, and pods that always restart.
enum ReplicaSetTemplateValidation {
    /// The errors of `template` at `path`; `selector` nil when it could not be converted.
    static func errors(_ template: JSONValue?, selector: LabelSelector, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if !selector.isEverything, !selector.matches(SelectorValidation.templateLabels(template)) {
            errors.append(SelectorValidation.mismatch(template, path))
        }
        errors += PodTemplateValidation.errors(template, path: path)
        errors += restartErrors(template, path, kind: "ReplicaSet")
        return errors
    }

    /// The restart policy must be Always and there is no active deadline, for the controllers
    /// whose pods run forever; `kind` names the controller in the message.
    static func restartErrors(_ template: JSONValue?, _ path: FieldPath, kind: String) -> [FieldError] {
        var errors: [FieldError] = []
        let restartPolicy = template?["spec"]?["restartPolicy"]?.string ?? ""
        if restartPolicy != "Always" {
            errors.append(FieldError(path.child("spec", "restartPolicy"), .notSupported(value: .string(restartPolicy), supported: ["Always"])))
        }
        if let deadline = template?["spec"]?["activeDeadlineSeconds"], !deadline.isNull {
            errors.append(FieldError(path.child("spec", "activeDeadlineSeconds"), .forbidden(detail: "activeDeadlineSeconds in \(kind) is not Supported")))
        }
        return errors
    }
}
