/// `ValidateObjectMeta` and `ValidateObjectMetaUpdate` (apimachinery's
/// `api/validation/objectmeta.go` with `pkg/apis/core/validation`'s wrappers, which add the
/// Kubernetes finalizer-name rule): the metadata every kind shares.
public enum ObjectMetaValidation {
    /// The total size of an object's annotations, keys and values (`TotalAnnotationSizeLimitB`).
    public static let annotationSizeLimit = 256 * 1024
    /// The finalizers a name without a `/` may be (`helper.IsStandardFinalizerName`).
    public static let standardFinalizers: Set<String> = ["kubernetes", "orphan", "foregroundDeletion"]
    /// `FieldImmutableErrorMsg`.
    public static let immutableMessage = "field is immutable"

    /// The metadata errors of `object`; `old` is the stored object on update. On update the
    /// update checks come first, then those of create that kube's `Validate<Kind>Update`
    /// repeats through `Validate<Kind>` (each error once, as `ToAggregate` shows it).
    public static func errors(_ object: JSONValue, _ type: ResourceType, old: JSONValue?) -> [FieldError] {
        let meta = object["metadata"] ?? .object([:])
        let created = createErrors(meta, type)
        guard let old else { return created }
        var errors = updateErrors(meta, old: old["metadata"] ?? .object([:]), type)
        let seen = Set(errors.map(\.description))
        errors += created.filter { !seen.contains($0.description) }
        return errors
    }

    /// `ValidateObjectMeta` with `type`'s name rule and scope.
    public static func createErrors(_ meta: JSONValue, _ type: ResourceType) -> [FieldError] {
        let path = FieldPath("metadata")
        let rule = NameValidation.nameRule(for: type)
        var errors: [FieldError] = []
        let generateName = meta["generateName"]?.string ?? ""
        if !generateName.isEmpty {
            errors += NameValidation.nameErrors(generateName, rule, prefix: true)
                .map { FieldError(path.child("generateName"), .invalid(value: .string(generateName), detail: $0)) }
        }
        let name = meta["name"]?.string ?? ""
        if name.isEmpty {
            errors.append(FieldError(path.child("name"), .required(detail: "name or generateName is required")))
        } else {
            errors += NameValidation.nameErrors(name, rule).map { FieldError(path.child("name"), .invalid(value: .string(name), detail: $0)) }
        }
        let namespace = meta["namespace"]?.string ?? ""
        if type.namespaced {
            if namespace.isEmpty {
                errors.append(FieldError(path.child("namespace"), .required(detail: "")))
            } else {
                errors += NameValidation.dns1123LabelErrors(namespace)
                    .map { FieldError(path.child("namespace"), .invalid(value: .string(namespace), detail: $0)) }
            }
        } else if !namespace.isEmpty {
            errors.append(FieldError(path.child("namespace"), .forbidden(detail: "not allowed on this type")))
        }
        if let generation = meta["generation"]?.int, generation < 0 {
            errors.append(FieldError(path.child("generation"), .invalid(value: .int(generation), detail: "must be greater than or equal to 0")))
        }
        errors += commonErrors(meta, type, path: path)
        return errors
    }

    /// `ValidateObjectMetaUpdate`: no new finalizers while deleting, generation not going
    /// back, identity and timestamps unchanged, then the checks shared with create.
    public static func updateErrors(_ meta: JSONValue, old: JSONValue, _ type: ResourceType) -> [FieldError] {
        let path = FieldPath("metadata")
        var errors: [FieldError] = []
        if let deletion = old["deletionTimestamp"], !deletion.isNull {
            let before = Set(strings(old["finalizers"]))
            let extra = Set(strings(meta["finalizers"])).subtracting(before).sorted()
            if !extra.isEmpty {
                errors.append(FieldError(path.child("finalizers"), .forbidden(
                    detail: "no new finalizers can be added if the object is being deleted, found new finalizers \(MetaV1Validation.goStringSlice(extra).formatted)")))
            }
        }
        // resourceVersion is not checked: kube-apiserver fills it in for an unconditional
        // update before validation, and so does Ketch when it stores the update.
        if let generation = meta["generation"]?.int, generation < (old["generation"]?.int ?? 0) {
            errors.append(FieldError(path.child("generation"), .invalid(value: .int(generation), detail: "must not be decremented")))
        }
        for field in ["name", "namespace", "uid"] {
            let new = meta[field]?.string ?? ""
            if new != (old[field]?.string ?? "") {
                errors.append(FieldError(path.child(field), .invalid(value: .string(new), detail: immutableMessage)))
            }
        }
        for field in ["creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"] {
            let new = meta[field] ?? .null
            if new != (old[field] ?? .null) {
                errors.append(FieldError(path.child(field), .invalid(value: goTimeOrValue(new), detail: immutableMessage)))
            }
        }
        errors += commonErrors(meta, type, path: path)
        return errors
    }

    /// Labels, annotations, owner references and finalizers: what create and update share.
    private static func commonErrors(_ meta: JSONValue, _ type: ResourceType, path: FieldPath) -> [FieldError] {
        var errors = MetaV1Validation.labels(meta["labels"], path: path.child("labels"))
        errors += annotations(meta["annotations"], path: path.child("annotations"))
        errors += ownerReferences(meta["ownerReferences"]?.array ?? [], path: path.child("ownerReferences"))
        let finalizers = strings(meta["finalizers"])
        errors += finalizerErrors(finalizers, path: path.child("finalizers"))
        if !type.isCustom {
            // Custom resources get warnings for these instead (apiextensions' strategy).
            for (index, finalizer) in finalizers.enumerated() {
                errors += kubeFinalizerNameErrors(finalizer, path: path.child("finalizers").index(index))
            }
        }
        return errors
    }

    /// `ValidateAnnotations`: keys are qualified names once lower-cased, and all keys and
    /// values together fit in 256 KiB.
    public static func annotations(_ annotations: JSONValue?, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var size = 0
        for (key, value) in (annotations?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            errors += NameValidation.qualifiedNameErrors(key.lowercased()).map { FieldError(path, .invalid(value: .string(key), detail: $0)) }
            size += key.utf8.count + (value.string ?? "").utf8.count
        }
        if size > annotationSizeLimit {
            errors.append(FieldError(path, .tooLong(maxLength: annotationSizeLimit)))
        }
        return errors
    }

    /// `ValidateOwnerReferences`: each reference complete and not an Event, and at most one
    /// controller.
    public static func ownerReferences(_ references: [JSONValue], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var firstController: String?
        for reference in references {
            let apiVersion = reference["apiVersion"]?.string ?? ""
            let kind = reference["kind"]?.string ?? ""
            let version = groupVersion(apiVersion)
            if version.version.isEmpty {
                errors.append(FieldError(path.child("apiVersion"), .invalid(value: .string(apiVersion), detail: "version must not be empty")))
            }
            if kind.isEmpty {
                errors.append(FieldError(path.child("kind"), .invalid(value: .string(kind), detail: "must not be empty")))
            }
            for field in ["name", "uid"] where (reference[field]?.string ?? "").isEmpty {
                errors.append(FieldError(path.child(field), .invalid(value: .string(reference[field]?.string ?? ""), detail: "must not be empty")))
            }
            if version.group.isEmpty, version.version == "v1", kind == "Event" {
                errors.append(FieldError(path, .invalid(value: goOwnerReferences([reference], slice: false), detail: "/v1, Kind=Event is disallowed from being an owner")))
            }
            if reference["controller"]?.bool == true {
                let current = kind + "/" + (reference["name"]?.string ?? "")
                if let first = firstController {
                    errors.append(FieldError(path, .invalid(value: goOwnerReferences(references, slice: true),
                                                            detail: "Only one reference can have Controller set to true. Found \"true\" in references for \(first) and \(current)")))
                } else {
                    firstController = current
                }
            }
        }
        return errors
    }

    /// apimachinery's `ValidateFinalizers`: each a qualified name (reported on the list's
    /// path), and not both `orphan` and `foregroundDeletion`.
    public static func finalizerErrors(_ finalizers: [String], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for finalizer in finalizers {
            errors += NameValidation.qualifiedNameErrors(finalizer).map { FieldError(path, .invalid(value: .string(finalizer), detail: $0)) }
        }
        if finalizers.contains("orphan"), finalizers.contains("foregroundDeletion") {
            errors.append(FieldError(path, .invalid(value: MetaV1Validation.goStringSlice(finalizers),
                                                    detail: "finalizer orphan and foregroundDeletion cannot be both set")))
        }
        return errors
    }

    /// core's `validateKubeFinalizerName`: a name without a `/` must be a standard one.
    public static func kubeFinalizerNameErrors(_ name: String, path: FieldPath) -> [FieldError] {
        guard !name.contains("/"), !standardFinalizers.contains(name) else { return [] }
        return [FieldError(path, .invalid(value: .string(name), detail: "name is neither a standard finalizer name nor is it fully qualified"))]
    }

    /// core's `validateFinalizerName` (Namespace `spec.finalizers`): a qualified name that,
    /// without a `/`, is a standard finalizer.
    public static func finalizerNameErrors(_ name: String, path: FieldPath) -> [FieldError] {
        NameValidation.qualifiedNameErrors(name).map { FieldError(path, .invalid(value: .string(name), detail: $0)) }
            + kubeFinalizerNameErrors(name, path: path)
    }

    // MARK: helpers

    /// `schema.ParseGroupVersion`: `""`, `v1`, `group/version`; anything else parses to nothing.
    static func groupVersion(_ apiVersion: String) -> (group: String, version: String) {
        let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1: return ("", parts[0])
        case 2: return (parts[0], parts[1])
        default: return ("", "")
        }
    }

    private static func strings(_ value: JSONValue?) -> [String] {
        (value?.array ?? []).map { $0.string ?? "" }
    }

    /// A timestamp as Go's `time.Time.String()` prints it (`2024-01-02 03:04:05 +0000 UTC`),
    /// other values as they are.
    private static func goTimeOrValue(_ value: JSONValue) -> GoValue {
        guard let text = value.string, text.count >= 20, text.hasSuffix("Z") else { return GoValue(value) }
        let date = text.prefix(10)
        let time = text.dropFirst(11).dropLast()
        return .raw("\(date) \(time) +0000 UTC")
    }

    /// `%#v` of owner references, as far as it can be reproduced (Go prints pointer
    /// addresses for `controller` and `blockOwnerDeletion`).
    private static func goOwnerReferences(_ references: [JSONValue], slice: Bool) -> GoValue {
        func pointer(_ value: JSONValue?) -> String {
            value?.bool == nil ? "(*bool)(nil)" : "(*bool)(0xc000000000)"
        }
        let items = references.map { reference in
            let fields = [("APIVersion", "apiVersion"), ("Kind", "kind"), ("Name", "name"), ("UID", "uid")].map { field, key in
                "\(field):\(goQuoted(reference[key]?.string ?? ""))"
            }
            return "v1.OwnerReference{" + fields.joined(separator: ", ")
                + ", Controller:\(pointer(reference["controller"])), BlockOwnerDeletion:\(pointer(reference["blockOwnerDeletion"]))}"
        }
        return .raw(slice ? "[]v1.OwnerReference{" + items.joined(separator: ", ") + "}" : items.joined())
    }
}
