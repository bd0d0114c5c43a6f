/// Checks of `x-kubernetes-embedded-resource` objects (apiextensions-apiserver
/// `schema/objectmeta/validation.go`): each needs an `apiVersion` and a `kind`, and its
/// `metadata` is validated as ObjectMeta with path-segment names.
enum EmbeddedResourceValidation {
    /// The errors of the embedded resources in `object` (the root itself is not one unless
    /// its schema says so), with `field.Path` paths.
    static func errors(_ object: JSONValue, _ schema: StructuralSchema) -> [FieldError] {
        walk(object, schema, path: "")
    }

    private static func child(_ path: String, _ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    private static func walk(_ value: JSONValue, _ s: StructuralSchema, path: String) -> [FieldError] {
        var out: [FieldError] = []
        switch value {
        case .object(let members):
            if s.embeddedResource { out += embedded(members, path: path) }
            for key in members.keys.sorted() {
                if let property = s.properties[key] {
                    out += walk(members[key]!, property, path: child(path, key))
                } else if case .schema(let additional)? = s.additionalProperties {
                    out += walk(members[key]!, additional, path: "\(path)[\(key)]")
                }
            }
        case .array(let items):
            guard let itemSchema = s.items else { return [] }
            for (i, item) in items.enumerated() { out += walk(item, itemSchema, path: "\(path)[\(i)]") }
        default:
            break
        }
        return out
    }

    /// `validateEmbeddedResource`.
    private static func embedded(_ members: [String: JSONValue], path: String) -> [FieldError] {
        var out: [FieldError] = []
        let apiVersionPath = child(path, "apiVersion"), kindPath = child(path, "kind")
        if members["apiVersion"] == nil { out.append(FieldError(field: apiVersionPath, .required(detail: "must not be empty"))) }
        if members["kind"] == nil { out.append(FieldError(field: kindPath, .required(detail: "must not be empty"))) }
        if let value = members["apiVersion"] {
            if case .string(let apiVersion) = value {
                if apiVersion.isEmpty {
                    out.append(FieldError(field: apiVersionPath, .invalid(value: .string(apiVersion), detail: "must not be empty")))
                } else if apiVersion.split(separator: "/", omittingEmptySubsequences: false).count > 2 {
                    out.append(FieldError(field: apiVersionPath, .invalid(
                        value: .string(apiVersion), detail: "unexpected GroupVersion string: \(apiVersion)")))
                }
            } else {
                out.append(FieldError(field: apiVersionPath, .invalid(value: GoValueRendering.badValue(value), detail: "must be a string")))
            }
        }
        if let value = members["kind"] {
            if case .string(let kind) = value {
                let problems = NameValidation.dns1035LabelErrors(kind.lowercased())
                if kind.isEmpty {
                    out.append(FieldError(field: kindPath, .invalid(value: .string(kind), detail: "must not be empty")))
                } else if !problems.isEmpty {
                    out.append(FieldError(field: kindPath, .invalid(
                        value: .string(kind), detail: "may have mixed case, but should otherwise match: " + problems.joined(separator: ","))))
                }
            } else {
                out.append(FieldError(field: kindPath, .invalid(value: GoValueRendering.badValue(value), detail: "must be a string")))
            }
        }
        if case .object(let meta)? = members["metadata"] {
            out += metadataErrors(meta, path: child(path, "metadata"))
        }
        return out
    }

    /// `ValidateObjectMeta` with `path.ValidatePathSegmentName` for names; an empty name is
    /// allowed (apiextensions substitutes `fakename`).
    private static func metadataErrors(_ meta: [String: JSONValue], path: String) -> [FieldError] {
        var out: [FieldError] = []
        if let name = meta["name"]?.string, !name.isEmpty {
            for problem in NameValidation.pathSegmentNameErrors(name) {
                out.append(FieldError(field: "\(path).name", .invalid(value: .string(name), detail: problem)))
            }
        }
        if let namespace = meta["namespace"]?.string, !namespace.isEmpty {
            for problem in NameValidation.dns1123LabelErrors(namespace) {
                out.append(FieldError(field: "\(path).namespace", .invalid(value: .string(namespace), detail: problem)))
            }
        }
        if let labels = meta["labels"]?.object {
            for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
                for problem in NameValidation.qualifiedNameErrors(key) {
                    out.append(FieldError(field: "\(path).labels", .invalid(value: .string(key), detail: problem)))
                }
                if let text = value.string {
                    for problem in NameValidation.labelValueErrors(text) {
                        out.append(FieldError(field: "\(path).labels", .invalid(value: .string(text), detail: problem)))
                    }
                }
            }
        }
        return out
    }
}
