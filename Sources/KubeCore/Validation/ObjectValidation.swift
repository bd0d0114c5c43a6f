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

    /// 422 for invalid names and missing required fields.
    public static func validate(_ object: JSONValue, _ type: ResourceType, isCreate: Bool) throws {
        var causes: [KubeStatus.Cause] = []
        let name = object["metadata"]?["name"]?.string ?? ""
        if name.isEmpty {
            causes.append(.init(reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name"))
        } else if let problem = NameValidation.nameProblem(name, type) {
            causes.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \"\(name)\": \(problem)", field: "metadata.name"))
        }
        if let labels = object["metadata"]?["labels"]?.object {
            for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
                if let problem = NameValidation.qualifiedNameProblem(key) {
                    causes.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \"\(key)\": \(problem)", field: "metadata.labels"))
                }
                if let text = value.string, let problem = NameValidation.labelValueProblem(text) {
                    causes.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \"\(text)\": \(problem)", field: "metadata.labels"))
                }
            }
        }
        switch (type.group, type.kind) {
        case ("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("apps", "DaemonSet"):
            causes += workloadProblems(object)
        case ("", "Pod"):
            if (object["spec"]?["containers"]?.array ?? []).isEmpty {
                causes.append(.init(reason: "FieldValueRequired", message: "Required value", field: "spec.containers"))
            }
        case ("", "ConfigMap"), ("", "Secret"):
            for field in ["data", "binaryData"] {
                for key in (object[field]?.object ?? [:]).keys.sorted() where !NameValidation.isConfigMapKey(key) {
                    causes.append(.init(reason: "FieldValueInvalid",
                                        message: "Invalid value: \"\(key)\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
                                        field: "\(field)"))
                }
            }
        default:
            break
        }
        if !causes.isEmpty {
            throw KubeStatus.invalid(type, name: name, causes: causes)
        }
    }

    private static func workloadProblems(_ object: JSONValue) -> [KubeStatus.Cause] {
        var causes: [KubeStatus.Cause] = []
        let spec = object["spec"]
        guard let selector = spec?["selector"], selector != .null else {
            causes.append(.init(reason: "FieldValueRequired", message: "Required value", field: "spec.selector"))
            return causes
        }
        let labels = spec?["template"]?["metadata"]?["labels"]?.object ?? [:]
        let stringLabels = labels.compactMapValues(\.string)
        if let parsed = try? LabelSelector(json: selector), !parsed.matches(stringLabels) {
            let shown = "map[string]string{" + stringLabels.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ", ") + "}"
            causes.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \(shown): `selector` does not match template `labels`", field: "spec.template.metadata.labels"))
        }
        if (spec?["template"]?["spec"]?["containers"]?.array ?? []).isEmpty {
            causes.append(.init(reason: "FieldValueRequired", message: "Required value", field: "spec.template.spec.containers"))
        }
        return causes
    }
}
