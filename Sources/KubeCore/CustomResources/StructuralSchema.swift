import Foundation

/// One node of a CRD version's `openAPIV3Schema`, parsed once from its JSON: what
/// apiextensions-apiserver's `structuralschema.Structural` and the kube-openapi `spec.Schema`
/// it validates with hold. Nodes are immutable, so one parsed schema serves every request.
public final class StructuralSchema: Sendable {
    /// What `additionalProperties` says: a schema for every other key, or a plain allow/deny.
    public enum AdditionalProperties: Sendable {
        /// `additionalProperties: {...}`: other keys are map entries with this schema.
        case schema(StructuralSchema)
        /// `additionalProperties: true|false`.
        case allows(Bool)
    }

    /// One `x-kubernetes-validations` entry (a CEL rule Ketch does not evaluate).
    public struct ValidationRule: Sendable, Hashable {
        /// The CEL expression.
        public let rule: String
        /// The message the rule reports when it fails, if it names one.
        public let message: String?
    }

    /// `type`; nil when the schema leaves it out (allowed only with
    /// `x-kubernetes-preserve-unknown-fields` or `x-kubernetes-int-or-string`).
    public let type: String?
    /// `properties`, by name.
    public let properties: [String: StructuralSchema]
    /// The property names in sorted order: kube-openapi walks a Go map, whose order is random,
    /// so any fixed order is one kube-apiserver can print; sorted keeps ours stable.
    public let propertyNames: [String]
    /// `items` (the single-schema form).
    public let items: StructuralSchema?
    /// `additionalProperties`.
    public let additionalProperties: AdditionalProperties?
    /// `required`, in declared order (the order kube-openapi reports missing fields in).
    public let required: [String]
    /// `enum`; nil when absent.
    public let enumValues: [JSONValue]?
    /// `pattern`, as written.
    public let pattern: String?
    /// `pattern` compiled; nil when absent or not a valid expression.
    let patternRegex: NSRegularExpression?
    /// `format` as written.
    public let format: String?
    /// `format` as validation sees it: apiextensions' `StripUnsupportedFormatsPostProcess`
    /// empties formats kube-apiserver 1.33 does not support for the node's type.
    public let validatedFormat: String
    /// `minimum`, `maximum` and their exclusive flags.
    public let minimum: Double?
    public let maximum: Double?
    public let exclusiveMinimum: Bool
    public let exclusiveMaximum: Bool
    /// `minLength`, `maxLength`.
    public let minLength: Int?
    public let maxLength: Int?
    /// `minItems`, `maxItems`, `uniqueItems`.
    public let minItems: Int?
    public let maxItems: Int?
    public let uniqueItems: Bool
    /// `minProperties`, `maxProperties`.
    public let minProperties: Int?
    public let maxProperties: Int?
    /// `multipleOf`.
    public let multipleOf: Double?
    /// `nullable`.
    public let nullable: Bool
    /// `default`; nil when absent.
    public let defaultValue: JSONValue?
    /// `x-kubernetes-preserve-unknown-fields: true`.
    public let preserveUnknownFields: Bool
    /// `x-kubernetes-int-or-string: true`: validated as type `integer,string`.
    public let intOrString: Bool
    /// `x-kubernetes-embedded-resource: true`: an object with its own apiVersion, kind and metadata.
    public let embeddedResource: Bool
    /// `x-kubernetes-list-type` (`atomic`, `set`, `map`).
    public let listType: String?
    /// `x-kubernetes-list-map-keys`.
    public let listMapKeys: [String]
    /// `x-kubernetes-validations`.
    public let validations: [ValidationRule]
    /// `allOf`, `anyOf`, `oneOf` and `not`: value validations a structural schema may add.
    public let allOf: [StructuralSchema]
    public let anyOf: [StructuralSchema]
    public let oneOf: [StructuralSchema]
    public let not: StructuralSchema?

    /// Parses a schema node; members of the wrong JSON type are ignored, as a CRD whose
    /// schema has them would not have been accepted.
    public init(json: JSONValue) {
        type = json["type"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        var props: [String: StructuralSchema] = [:]
        for (name, value) in json["properties"]?.object ?? [:] { props[name] = StructuralSchema(json: value) }
        properties = props
        propertyNames = props.keys.sorted()
        if let itemJSON = json["items"], itemJSON.object != nil {
            items = StructuralSchema(json: itemJSON)
        } else {
            items = nil
        }
        switch json["additionalProperties"] {
        case .bool(let allows)?: additionalProperties = .allows(allows)
        case .object(let o)?: additionalProperties = .schema(StructuralSchema(json: .object(o)))
        default: additionalProperties = nil
        }
        required = json["required"]?.array?.compactMap(\.string) ?? []
        enumValues = json["enum"]?.array
        pattern = json["pattern"]?.string
        patternRegex = pattern.flatMap { try? NSRegularExpression(pattern: $0) }
        format = json["format"]?.string
        minimum = json["minimum"]?.double
        maximum = json["maximum"]?.double
        exclusiveMinimum = json["exclusiveMinimum"]?.bool ?? false
        exclusiveMaximum = json["exclusiveMaximum"]?.bool ?? false
        minLength = json["minLength"]?.int
        maxLength = json["maxLength"]?.int
        minItems = json["minItems"]?.int
        maxItems = json["maxItems"]?.int
        uniqueItems = json["uniqueItems"]?.bool ?? false
        minProperties = json["minProperties"]?.int
        maxProperties = json["maxProperties"]?.int
        multipleOf = json["multipleOf"]?.double
        nullable = json["nullable"]?.bool ?? false
        defaultValue = json["default"]
        preserveUnknownFields = json["x-kubernetes-preserve-unknown-fields"]?.bool ?? false
        intOrString = json["x-kubernetes-int-or-string"]?.bool ?? false
        embeddedResource = json["x-kubernetes-embedded-resource"]?.bool ?? false
        listType = json["x-kubernetes-list-type"]?.string
        listMapKeys = json["x-kubernetes-list-map-keys"]?.array?.compactMap(\.string) ?? []
        validations = (json["x-kubernetes-validations"]?.array ?? []).compactMap { entry in
            entry["rule"]?.string.map { ValidationRule(rule: $0, message: entry["message"]?.string) }
        }
        allOf = (json["allOf"]?.array ?? []).map(StructuralSchema.init(json:))
        anyOf = (json["anyOf"]?.array ?? []).map(StructuralSchema.init(json:))
        oneOf = (json["oneOf"]?.array ?? []).map(StructuralSchema.init(json:))
        not = json["not"].flatMap { $0.object == nil ? nil : StructuralSchema(json: $0) }
        validatedFormat = SchemaFormats.supportedFormat(format ?? "", forType: type ?? "")
    }

    /// The types kube-openapi checks a value against: `integer,string` for int-or-string
    /// (`ConvertJSONSchemaProps` sets both), else the one `type`, else none.
    var validationTypes: [String] {
        if intOrString { return ["integer", "string"] }
        return type.map { [$0] } ?? []
    }

    /// The schema of the map entry or property `key` of an object this node describes, as
    /// pruning and defaulting look it up: a declared property first, then `additionalProperties`.
    func schema(forKey key: String) -> StructuralSchema? {
        if let property = properties[key] { return property }
        if case .schema(let schema)? = additionalProperties { return schema }
        return nil
    }

    /// Whether this node or one below it carries `x-kubernetes-validations`: apiextensions
    /// builds a CEL validator for the version exactly then.
    public var hasValidationRules: Bool {
        if !validations.isEmpty { return true }
        if properties.values.contains(where: \.hasValidationRules) { return true }
        if items?.hasValidationRules == true { return true }
        if case .schema(let schema)? = additionalProperties, schema.hasValidationRules { return true }
        return false
    }
}
