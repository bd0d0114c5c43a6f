import KubeCore

/// Custom resources checked against their CRD version's `openAPIV3Schema`, as
/// apiextensions-apiserver decodes (prunes, defaults) and validates them.
extension ResourceHandler {
    /// Validates an object about to be stored, as the strategy's `Validate` (create, `old` nil)
    /// or `ValidateUpdate` does, and returns the object to store. A custom resource whose CRD
    /// version has a schema is first pruned and defaulted by it, then validated (its ObjectMeta
    /// first, then the schema; `old` lets unchanged parts ratchet), with a warning for each CEL
    /// rule that is not evaluated. Its unknown fields are reported by strict decoding, earlier.
    func admit(_ object: JSONValue, _ type: ResourceType, old: JSONValue?) throws -> JSONValue {
        guard let schema = CustomResourceSchema(type: type) else {
            try ObjectValidation.validate(object, type, old: old)
            return object
        }
        let prepared = schema.prepare(object)
        let metadataErrors = ObjectMetaValidation.errors(prepared.object, type, old: old)
        let errors = schema.validate(prepared.object, old: old, metadataErrors: metadataErrors)
        if !errors.isEmpty {
            throw KubeStatus.invalid(type, name: prepared.object["metadata"]?["name"]?.string ?? "", errors: errors)
        }
        for warning in prepared.warnings { ResponseWarnings.add(warning) }
        return prepared.object
    }
}
