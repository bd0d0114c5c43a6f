/// What decoding a custom resource makes of it: the object pruned and defaulted, the fields
/// pruning dropped, and warnings to send back.
public struct CustomResourcePreparation: Sendable, Hashable {
    /// The object after pruning, null removal, embedded-metadata coercion and defaulting.
    public var object: JSONValue
    /// The dropped fields' paths (`spec.foo`, `spec.items[0].bar`), in the order kube-apiserver's
    /// strict decoding lists them: pruned fields sorted, then unknown embedded metadata fields.
    /// With `fieldValidation=Strict` each is an `unknown field "<path>"` error (400); with
    /// `Warn` a `Warning` header.
    public var unknownFields: [String]
    /// Warnings for the `x-kubernetes-validations` rules that apply and were not evaluated.
    public var warnings: [String]
}

/// A CRD version's `openAPIV3Schema` applied to its custom resources as apiextensions-apiserver
/// 1.33 applies it: decoding prunes unknown fields and applies defaults (``prepare(_:)``), and
/// the strategy's validation checks the schema, embedded resources and list types
/// (``validate(_:old:metadataErrors:)``).
///
/// kube-apiserver also prunes and defaults objects read back from etcd; Ketch does it on
/// create, update and patch only, so objects stored before a schema change keep their shape
/// until they are written again.
public struct CustomResourceSchema: Sendable {
    /// The parsed root schema.
    public let root: StructuralSchema

    /// Parses a version's `openAPIV3Schema`.
    public init(json: JSONValue) {
        root = StructuralSchema(json: json)
    }

    /// The schema of a custom resource type; nil for built-ins and CRD versions without one.
    public init?(type: ResourceType) {
        guard type.isCustom, let schema = type.openAPIV3Schema, schema.object != nil else { return nil }
        self.init(json: schema)
    }

    /// Prunes, drops disallowed nulls, coerces embedded metadata and defaults `object`, in the
    /// order `unstructuredSchemaCoercer` and the defaulting codec run on a request body.
    public func prepare(_ object: JSONValue) -> CustomResourcePreparation {
        var result = object
        var unknown = SchemaPruning.prune(&result, root)
        SchemaPruning.pruneNulls(&result, root)
        unknown += SchemaPruning.coerceEmbeddedMetadata(&result, root, path: "", isRoot: true)
        SchemaDefaulting.apply(&result, root)
        return CustomResourcePreparation(object: result, unknownFields: unknown, warnings: ruleWarnings(result))
    }

    /// The validation errors of a prepared `object` in kube-apiserver's order: `metadataErrors`
    /// (the ObjectMeta errors the caller computed, which kube reports first), the schema's,
    /// the embedded resources', the list types', and — when the schema has
    /// `x-kubernetes-validations` and an error of a blocking type was found — the note that
    /// rules were not checked. `old` is the stored object on update: subtrees equal to it keep
    /// no schema errors (validation ratcheting) and list-type errors count only when the old
    /// object had none.
    public func validate(_ object: JSONValue, old: JSONValue? = nil, metadataErrors: [FieldError] = []) -> [FieldError] {
        let violations = SchemaValueValidator().validate(object, root, path: "", old: old)
        var errors = metadataErrors + violations.map(\.error)
        errors += EmbeddedResourceValidation.errors(object, root)
        if old.map({ ListTypeValidation.errors($0, root).isEmpty }) ?? true {
            errors += ListTypeValidation.errors(object, root)
        }
        if root.hasValidationRules {
            let blocking = violations.contains(where: \.blocking) || errors.contains { error in
                switch error.kind {
                case .required, .notSupported, .tooLong, .tooMany: return true
                default: return false
                }
            }
            if blocking {
                errors.append(FieldError(field: "<nil>", .invalid(
                    value: .string("null"),
                    detail: "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation")))
            }
        }
        return errors
    }

    /// One warning per `x-kubernetes-validations` rule whose field is present in `object`:
    /// Ketch has no CEL evaluator, so these rules are not enforced.
    public func ruleWarnings(_ object: JSONValue) -> [String] {
        var warnings: [String] = []
        var seen = Set<String>()
        collectRules(object, root, path: "", into: &warnings, seen: &seen)
        return warnings
    }

    private func collectRules(_ value: JSONValue, _ s: StructuralSchema, path: String,
                              into warnings: inout [String], seen: inout Set<String>) {
        for rule in s.validations {
            let place = path.isEmpty ? "<root>" : path
            let text = "\(place): x-kubernetes-validations rule \(goQuoted(rule.rule)) was not evaluated: Ketch does not evaluate CEL expressions"
            if seen.insert(text).inserted { warnings.append(text) }
        }
        switch value {
        case .object(let members):
            for key in members.keys.sorted() {
                if let property = s.properties[key] {
                    collectRules(members[key]!, property, path: path.isEmpty ? key : "\(path).\(key)", into: &warnings, seen: &seen)
                } else if case .schema(let additional)? = s.additionalProperties {
                    collectRules(members[key]!, additional, path: "\(path)[*]", into: &warnings, seen: &seen)
                }
            }
        case .array(let items):
            guard let itemSchema = s.items else { return }
            for item in items { collectRules(item, itemSchema, path: "\(path)[*]", into: &warnings, seen: &seen) }
        default:
            break
        }
    }
}
