/// The structural-schema invariants a CRD version's `openAPIV3Schema` must meet
/// (apiextensions-apiserver `schema/validation.go` `validateStructuralInvariants`): every
/// specified node has a type, arrays have items, the root is an object, embedded resources are
/// objects. A part of `ValidateCustomResourceDefinition`: the rest of the CRD's rules (names,
/// versions, defaults, value-validation completeness, CEL) are not checked here.
public enum StructuralSchemaValidation {
    /// The structural errors of every version's schema of the CRD `crd`, at
    /// `spec.versions[i].schema.openAPIV3Schema`, sorted by message as kube sorts them.
    public static func errors(crd: JSONValue, old: JSONValue? = nil) -> [FieldError] {
        var out: [FieldError] = []
        for (i, version) in (crd["spec"]?["versions"]?.array ?? []).enumerated() {
            guard let schema = version["schema"]?["openAPIV3Schema"] else { continue }
            out += errors(schema: schema, path: "spec.versions[\(i)].schema.openAPIV3Schema")
        }
        return out
    }

    /// The structural errors of one schema rooted at field path `path`, sorted.
    public static func errors(schema: JSONValue, path: String) -> [FieldError] {
        invariants(schema, level: .root, path: path).sorted { $0.description < $1.description }
    }

    private enum Level { case root, item, field }

    private static func invariants(_ s: JSONValue, level: Level, path: String) -> [FieldError] {
        guard s.object != nil else { return [] }
        var out: [FieldError] = []
        let type = s["type"]?.string ?? ""
        let embedded = s["x-kubernetes-embedded-resource"]?.bool ?? false
        let preserve = s["x-kubernetes-preserve-unknown-fields"]?.bool ?? false
        let intOrString = s["x-kubernetes-int-or-string"]?.bool ?? false
        let properties = s["properties"]?.object ?? [:]
        if type == "array", s["items"] == nil {
            out.append(FieldError(field: "\(path).items", .required(detail: "must be specified")))
        }
        if let items = s["items"] { out += invariants(items, level: .item, path: "\(path).items") }
        for name in properties.keys.sorted() {
            out += invariants(properties[name]!, level: .field, path: "\(path).properties[\(name)]")
        }
        if let additional = s["additionalProperties"] {
            if level == .root {
                out.append(FieldError(field: "\(path).additionalProperties", .forbidden(detail: "must not be used at the root")))
            }
            out += invariants(additional, level: .field, path: "\(path).additionalProperties")
        }
        if embedded, type != "object" {
            out.append(type.isEmpty
                ? FieldError(field: "\(path).type", .required(detail: "must be object if x-kubernetes-embedded-resource is true"))
                : FieldError(field: "\(path).type", .invalid(value: .string(type), detail: "must be object if x-kubernetes-embedded-resource is true")))
        } else if type.isEmpty, !intOrString, !preserve {
            let detail: String
            switch level {
            case .root: detail = "must not be empty at the root"
            case .item: detail = "must not be empty for specified array items"
            case .field: detail = "must not be empty for specified object fields"
            }
            out.append(FieldError(field: "\(path).type", .required(detail: detail)))
        }
        if embedded, s["additionalProperties"] != nil {
            out.append(FieldError(field: "\(path).additionalProperties", .forbidden(detail: "must not be used if x-kubernetes-embedded-resource is set")))
        }
        if level == .root, !type.isEmpty, type != "object" {
            out.append(FieldError(field: "\(path).type", .invalid(value: .string(type), detail: "must be object at the root")))
        }
        if level == .root || embedded {
            for name in ["kind", "apiVersion"] {
                guard let property = properties[name] else { continue }
                let propertyType = property["type"]?.string ?? ""
                if propertyType != "string" {
                    out.append(FieldError(field: "\(path).properties[\(name)].type", .invalid(value: .string(propertyType), detail: "must be string")))
                }
            }
        }
        if embedded, !preserve, properties.isEmpty {
            out.append(FieldError(field: "\(path).properties", .required(
                detail: "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields")))
        }
        return out
    }
}
