/// `ValidatePersistentVolumeClaim(Update)`: access modes, a positive storage request, class,
/// volume mode and data sources; after creation the spec only changes where kube allows it
/// (volumeName once, the class from its beta annotation or from nil, a bound claim's
/// storage request), and the request never drops to the bound capacity.
public enum PersistentVolumeClaimValidation {
    private static let classAnnotation = "volume.beta.kubernetes.io/storage-class"

    /// The kind's rules; `old` is the stored claim on update.
    @Sendable public static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        let spec = object["spec"] ?? .object([:])
        var errors = specErrors(spec, path: FieldPath("spec"))
        guard let old else { return errors }
        errors += updateErrors(object, old)
        return errors
    }

    /// `ValidatePersistentVolumeClaimSpec` (the VolumeAttributesClass gate is off in 1.33, so
    /// `volumeAttributesClassName` is not checked here).
    public static func specErrors(_ spec: JSONValue, path: FieldPath) -> [FieldError] {
        let modes = spec["accessModes"]?.array ?? []
        var errors: [FieldError] = []
        if modes.isEmpty {
            errors.append(FieldError(path.child("accessModes"), .required(detail: "at least 1 access mode is required")))
        }
        errors += MetaV1Validation.labelSelector(spec["selector"], path: path.child("selector"))
        errors += PersistentVolumeValidation.accessModeErrors(modes, path: path.child("accessModes"), requiredDetail: "").filter {
            if case .required = $0.kind { return false }
            return true
        }
        let storagePath = path.child("resources").key("storage")
        if let request = spec["resources"]?["requests"]?["storage"], !request.isNull {
            if let quantity = Quantity(json: request), quantity.nanos <= 0 {
                errors.append(FieldError(storagePath, .invalid(value: .string(quantity.description), detail: "must be greater than zero")))
            }
        } else {
            errors.append(FieldError(storagePath, .required(detail: "")))
        }
        if let className = spec["storageClassName"]?.string, !className.isEmpty {
            errors += NameValidation.dns1123SubdomainErrors(className).map { FieldError(path.child("storageClassName"), .invalid(value: .string(className), detail: $0)) }
        }
        if let mode = spec["volumeMode"]?.string, !PersistentVolumeValidation.volumeModes.contains(mode) {
            errors.append(FieldError(path.child("volumeMode"), .notSupported(value: .string(mode), supported: PersistentVolumeValidation.volumeModes)))
        }
        let dataSource = spec["dataSource"].flatMap { $0.isNull ? nil : $0 }
        let dataSourceRef = spec["dataSourceRef"].flatMap { $0.isNull ? nil : $0 }
        if let dataSource { errors += dataSourceErrors(dataSource, path: path.child("dataSource")) }
        if let dataSourceRef {
            errors += dataSourceErrors(dataSourceRef, path: path.child("dataSourceRef"))
            if let namespace = dataSourceRef["namespace"]?.string, !namespace.isEmpty {
                errors += NameValidation.dns1123LabelErrors(namespace).map { FieldError(path.child("dataSourceRef", "namespace"), .invalid(value: .string(namespace), detail: $0)) }
            }
        }
        if let namespace = dataSourceRef?["namespace"]?.string, !namespace.isEmpty {
            if dataSource != nil {
                errors.append(FieldError(path, .invalid(value: .string(path.child("dataSource").description), detail: "may not be specified when dataSourceRef.namespace is specified")))
            }
        } else if let dataSource, let dataSourceRef {
            let same = ["apiGroup", "kind", "name"].allSatisfy { dataSource[$0] == dataSourceRef[$0] }
            if !same {
                errors.append(FieldError(path, .invalid(value: .string(path.child("dataSource").description), detail: "must match dataSourceRef")))
            }
        }
        return errors
    }

    /// `validateDataSource(Ref)`: name and kind, and a PersistentVolumeClaim when no group.
    private static func dataSourceErrors(_ source: JSONValue, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let kind = source["kind"]?.string ?? ""
        if (source["name"]?.string ?? "").isEmpty { errors.append(FieldError(path.child("name"), .required(detail: ""))) }
        if kind.isEmpty { errors.append(FieldError(path.child("kind"), .required(detail: ""))) }
        let group = source["apiGroup"]?.string ?? ""
        if group.isEmpty, kind != "PersistentVolumeClaim" {
            errors.append(FieldError(path, .invalid(value: .string(kind), detail: "must be 'PersistentVolumeClaim' when referencing the default apiGroup")))
        }
        if !group.isEmpty {
            errors += NameValidation.dns1123SubdomainErrors(group).map { FieldError(path.child("apiGroup"), .invalid(value: .string(group), detail: $0)) }
        }
        return errors
    }

    /// The immutability half of `ValidatePersistentVolumeClaimUpdate`.
    private static func updateErrors(_ object: JSONValue, _ old: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        var newSpec = JSONValue.objectOrEmpty(object["spec"])
        var oldSpec = JSONValue.objectOrEmpty(old["spec"])
        let newAnnotations = object["metadata"]?["annotations"]
        let oldAnnotations = old["metadata"]?["annotations"]
        if (oldSpec["volumeName"]?.string ?? "").isEmpty {
            // The binder sets volumeName once.
            oldSpec["volumeName"] = newSpec["volumeName"]
        }
        let oldClass = oldSpec["storageClassName"].flatMap { $0.isNull ? nil : $0.string }
        let newClass = newSpec["storageClassName"].flatMap { $0.isNull ? nil : $0.string }
        let oldAnnotation = oldAnnotations?[classAnnotation]?.string
        let newAnnotation = newAnnotations?[classAnnotation]?.string
        if let oldAnnotation, oldClass == nil, newClass == oldAnnotation, newAnnotation == nil || newAnnotation == oldAnnotation {
            // Upgrading from the beta annotation to the field.
            newSpec["storageClassName"] = nil
        } else {
            if (newAnnotation ?? "") != (oldAnnotation ?? "") {
                errors.append(FieldError(FieldPath("metadata", "annotations", classAnnotation), .invalid(value: .string(newAnnotation ?? ""), detail: ObjectMetaValidation.immutableMessage)))
            }
            if newClass != nil, oldClass == nil, oldAnnotation == nil || newClass == oldAnnotation {
                newSpec["storageClassName"] = oldSpec["storageClassName"]
            }
        }
        let bound = object["status"]?["phase"]?.string == "Bound"
        if bound, newSpec["resources"]?["requests"] != nil {
            newSpec["resources"]?["requests"]?["storage"] = old["spec"]?["resources"]?["requests"]?["storage"]
        }
        if bound, newSpec["volumeAttributesClassName"] != nil {
            newSpec["volumeAttributesClassName"] = oldSpec["volumeAttributesClassName"]
        }
        if comparable(newSpec) != comparable(oldSpec) {
            errors.append(FieldError(FieldPath("spec"), .forbidden(
                detail: "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n"
                    + SpecDiff.render(type: "core.PersistentVolumeClaimSpec", old: comparable(oldSpec), new: comparable(newSpec)))))
        }
        let newSize = Quantity(json: object["spec"]?["resources"]?["requests"]?["storage"])?.nanos ?? 0
        let oldSize = Quantity(json: old["spec"]?["resources"]?["requests"]?["storage"])?.nanos ?? 0
        let capacity = Quantity(json: old["status"]?["capacity"]?["storage"])?.nanos ?? 0
        // RecoverVolumeExpansionFailure (on by default): shrinking is allowed down to, not to, the capacity.
        if newSize < oldSize, newSize <= capacity {
            errors.append(FieldError(FieldPath("spec", "resources", "requests", "storage"), .forbidden(detail: "field can not be less than status.capacity")))
        }
        if object["spec"]?["volumeMode"] != old["spec"]?["volumeMode"] {
            errors.append(FieldError(FieldPath("volumeMode"), .invalid(value: GoValue(object["spec"]?["volumeMode"]), detail: ObjectMetaValidation.immutableMessage)))
        }
        if object["spec"]?["volumeAttributesClassName"] != old["spec"]?["volumeAttributesClassName"] {
            errors.append(FieldError(FieldPath("spec", "volumeAttributesClassName"), .forbidden(detail: "update is forbidden when the VolumeAttributesClass feature gate is disabled")))
        }
        return errors
    }

    /// A spec as Go's semantic equality compares it: null members as absent.
    private static func comparable(_ spec: JSONValue) -> JSONValue {
        .object((spec.object ?? [:]).filter { !$0.value.isNull })
    }
}
