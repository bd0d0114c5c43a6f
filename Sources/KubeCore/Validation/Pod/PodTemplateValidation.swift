/// `ValidatePodTemplateSpec`: a workload's pod template (its labels and annotations, and the
/// pod spec under it), the part every workload kind's validation shares.
public enum PodTemplateValidation {
    /// The errors of `template` at `path` (e.g. `spec.template`).
    public static func errors(_ template: JSONValue?, path: FieldPath) -> [FieldError] {
        let template = template ?? .object([:])
        let metadata = template["metadata"]
        let spec = template["spec"] ?? .object([:])
        // ValidatePodTemplateSpec passes the template's path itself as the metadata's path:
        // errors read `spec.template.labels`, not `spec.template.metadata.labels`.
        var errors = MetaValidation.labels(metadata?["labels"], path.child("labels"))
        errors += MetaValidation.annotations(metadata?["annotations"], path.child("annotations"))
        errors += PodSpecValidation.annotations(metadata?["annotations"], spec: spec, path.child("annotations"))
        errors += PodSpecValidation.errors(spec, podName: nil, resourceIsPod: false, path.child("spec"))
        errors += PodSpecValidation.annotationsMatchFields(metadata?["annotations"], spec: spec, path.child("spec"))
        if !GoFields.list(spec["ephemeralContainers"]).isEmpty {
            errors.append(FieldError(path.child("spec", "ephemeralContainers"), .forbidden(detail: "ephemeral containers not allowed in pod template")))
        }
        return errors
    }

    /// `ValidatePodTemplate` / `ValidatePodTemplateUpdate` for a PodTemplate object, past its
    /// metadata: the template under `template`. Registered for `/PodTemplate`.
    public static func podTemplate(_ object: JSONValue, old: JSONValue?) -> [FieldError] {
        errors(object["template"], path: FieldPath("template"))
    }
}
