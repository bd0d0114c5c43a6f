import KubeCore

/// Custom resources checked against their CRD version's `openAPIV3Schema`, as
/// apiextensions-apiserver decodes (prunes, defaults) and validates them.
extension ResourceHandler {
    /// Prunes and defaults a custom resource being created or updated, then validates it
    /// (its ObjectMeta first, then the schema), throwing kube-apiserver's 422 when invalid.
    /// `old` is the stored object on update (validation ratcheting). Returns the object to
    /// store, the pruned fields' paths for strict field validation, and warnings for the CEL
    /// rules that were not evaluated. Objects of built-in kinds and of CRD versions without a
    /// schema come back unchanged.
    ///
    /// The metadata errors are part of this 422, so callers use it instead of
    /// `ObjectValidation.validate` for custom resources.
    func customResourceAdmission(_ object: JSONValue, _ type: ResourceType, old: JSONValue? = nil) throws
        -> (JSONValue, unknownFields: [String], warnings: [String])
    {
        guard let schema = CustomResourceSchema(type: type) else { return (object, [], []) }
        let prepared = schema.prepare(object)
        let metadataErrors = ObjectMetaValidation.errors(prepared.object, type, old: old)
        let errors = schema.validate(prepared.object, old: old, metadataErrors: metadataErrors)
        if !errors.isEmpty {
            throw KubeStatus.invalid(type, name: prepared.object["metadata"]?["name"]?.string ?? "", errors: errors)
        }
        return (prepared.object, prepared.unknownFields, prepared.warnings)
    }

    /// Validates an object about to be stored, as the strategy's `Validate` (create, `old` nil)
    /// or `ValidateUpdate` does; a custom resource is also pruned and defaulted by its schema,
    /// with a warning for each CEL rule it does not evaluate. Returns the object to store.
    func admit(_ object: JSONValue, _ type: ResourceType, old: JSONValue?) throws -> JSONValue {
        guard CustomResourceSchema(type: type) != nil else {
            try ObjectValidation.validate(object, type, old: old)
            return object
        }
        let (admitted, _, warnings) = try customResourceAdmission(object, type, old: old)
        for warning in warnings { ResponseWarnings.add(warning) }
        return admitted
    }
}
