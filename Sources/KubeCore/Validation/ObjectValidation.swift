/// The checks kube-apiserver makes before storing an object: well-typed metadata (400, as its
/// JSON decoder would fail) and valid names and required fields (422 Invalid).
public enum ObjectValidation {
    /// Fails with 400 when fields kube's Go types declare as strings or string maps hold
    /// something else: what `json.Unmarshal` into the typed object would reject.
    public static func checkTypes(_ object: JSONValue, _ type: ResourceType) throws {
        func fail(_ field: String, _ value: JSONValue, _ goType: String, _ goField: String) throws -> Never {
            throw KubeStatus.badRequest(
                "\(type.kind) in version \"\(type.version)\" cannot be handled as a \(type.kind): json: cannot unmarshal \(value.goTypeName) into Go struct field \(goField) of type \(goType)")
        }
        if let kind = object["kind"], kind.string == nil { try fail("kind", kind, "string", "TypeMeta.kind") }
        if let v = object["apiVersion"], v.string == nil { try fail("apiVersion", v, "string", "TypeMeta.apiVersion") }
        guard let metadata = object["metadata"] else { return }
        guard case .object(let meta) = metadata else { try fail("metadata", metadata, "v1.ObjectMeta", "\(type.kind).metadata") }
        for field in ["name", "generateName", "namespace", "uid", "resourceVersion"] {
            if let v = meta[field], v != .null, v.string == nil { try fail(field, v, "string", "ObjectMeta.metadata.\(field)") }
        }
        for field in ["labels", "annotations"] {
            guard let v = meta[field], v != .null else { continue }
            guard case .object(let map) = v else { try fail(field, v, "map[string]string", "ObjectMeta.metadata.\(field)") }
            for (_, item) in map where item.string == nil {
                try fail(field, item, "string", "ObjectMeta.metadata.\(field)")
            }
        }
        if let v = meta["finalizers"], v != .null {
            guard case .array(let items) = v else { try fail("finalizers", v, "[]string", "ObjectMeta.metadata.finalizers") }
            for item in items where item.string == nil { try fail("finalizers", item, "string", "ObjectMeta.metadata.finalizers") }
        }
        if type.group.isEmpty, ["ConfigMap", "Secret"].contains(type.kind) {
            for field in ["data", "stringData"] {
                guard let v = object[field], v != .null else { continue }
                guard case .object(let map) = v else { try fail(field, v, "map[string]string", "\(type.kind).\(field)") }
                for (_, item) in map where item.string == nil {
                    try fail(field, item, type.kind == "Secret" && field == "data" ? "[]uint8" : "string", "\(type.kind).\(field)")
                }
            }
        }
        if type.kind == "Deployment" || type.kind == "ReplicaSet" || type.kind == "StatefulSet" {
            if let replicas = object["spec"]?["replicas"], replicas != .null {
                if case .integer = replicas {} else { try fail("replicas", replicas, "int32", "\(type.kind)Spec.spec.replicas") }
            }
        }
    }

    /// 422 as kube-apiserver's strategy `Validate` (create, `old` nil) or `ValidateUpdate`
    /// (`old` the stored object) answers: the object's metadata, then its kind's own rules.
    public static func validate(_ object: JSONValue, _ type: ResourceType, old: JSONValue?) throws {
        let errors = problems(object, type, old: old)
        if !errors.isEmpty {
            throw KubeStatus.invalid(type, name: object["metadata"]?["name"]?.string ?? "", errors: errors)
        }
    }

    /// Every validation error of `object`, in the order kube-apiserver reports them.
    public static func problems(_ object: JSONValue, _ type: ResourceType, old: JSONValue?) -> [FieldError] {
        var errors = ObjectMetaValidation.errors(object, type, old: old)
        if let kindRules = KindValidators.validator(for: type) {
            errors += kindRules(object, old)
        }
        return errors
    }
}
