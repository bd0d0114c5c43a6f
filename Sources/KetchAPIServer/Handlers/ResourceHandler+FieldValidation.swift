import KubeCore

/// Strict field validation of request bodies (`fieldValidation=Strict|Warn|Ignore`): unknown
/// and duplicate fields found while decoding, refused or warned about as kube-apiserver does.
extension ResourceHandler {
    /// The strict schema of `type`: a built-in kind's from the OpenAPI definitions, a custom
    /// resource's from its CRD version; nil for a custom resource without a schema.
    static func strictSchema(_ type: ResourceType) -> StrictSchema? {
        if let builtIn = StrictSchema.builtIn(type) { return builtIn }
        return type.openAPIV3Schema.map(StrictSchema.init(customResource:))
    }

    /// A create or update body, decoded, with its strict decoding errors reported per `validation`.
    /// Built-in kinds are checked as they are decoded (document order); custom resources, as
    /// kube prunes them, after their duplicates.
    func decodeChecked(_ body: [UInt8], contentType: String?, _ type: ResourceType,
                       validation: FieldValidation) throws -> JSONValue {
        let builtIn = StrictSchema.builtIn(type)
        var (value, found) = try RequestBodyDecoder.object(body, contentType: contentType, expect: type,
                                                           checking: validation.checks, schema: builtIn)
        if validation.checks, builtIn == nil, let custom = Self.strictSchema(type) {
            found.fieldErrors += custom.unknownFields(in: value)
        }
        try validation.report(found, refusal: FieldValidation.decodingRefusal(type))
        guard let builtIn else { return value }
        if let problem = builtIn.decodeProblem(in: value) {
            throw KubeStatus.badRequest("\(type.kind) in version \(goQuoted(type.version)) cannot be handled as a \(type.kind): \(problem)")
        }
        return builtIn.pruned(value)
    }

    /// What strict decoding finds in a patch body itself: duplicate members, and for a JSON
    /// patch members its operations do not have (`json patch unknown field "[0].foo"`).
    static func patchBodyErrors(_ body: [UInt8], _ patchType: PatchType) -> [String] {
        switch patchType {
        case .json:
            let errors = (try? JSONValue.parsingStrictly(body, schema: .jsonPatch).strictErrors) ?? []
            return errors.map { "json patch " + $0 }
        case .merge, .strategic:
            return (try? JSONValue.parsingStrictly(body, schema: nil).strictErrors) ?? []
        case .apply:
            return []
        }
    }

    /// Reports a patch's strict errors: those of its body, then the patched object's unknown
    /// fields. Strict refuses with kube's 422 on the `patch` field, whose value is the patched
    /// object (JSON and merge patches) or the patch as Go prints a map (strategic merge).
    /// Returns the patched object as decoding it into a built-in kind's type leaves it.
    func checkPatched(bodyErrors: [String], patched: JSONValue, patch: JSONValue, _ patchType: PatchType,
                      _ type: ResourceType, validation: FieldValidation) throws -> JSONValue {
        let builtIn = StrictSchema.builtIn(type)
        let shown = {
            patchType == .strategic
                ? GoFormat.plusV(patch)
                : (try? patched.encodedBytes()).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        func refusal(_ detail: String) -> KubeStatus {
            KubeStatus.invalid(group: "", kind: "", name: "", errors: [FieldError(field: "patch", .invalid(value: .string(shown()), detail: detail))])
        }
        // A value the typed object cannot hold fails the conversion, whatever the directive.
        if let problem = builtIn?.decodeProblem(in: patched) { throw refusal(problem) }
        let kept = builtIn.map { $0.pruned(patched) } ?? patched
        guard validation.checks else { return kept }
        var found = StrictDecodingErrors()
        found.fieldErrors = bodyErrors + (Self.strictSchema(type)?.unknownFields(in: patched) ?? [])
        try validation.report(found) { found in refusal(found.message) }
        return kept
    }

    /// Server-side apply's checks of the applied configuration: its members must all be declared
    /// (structured-merge-diff's typed conversion, whatever the directive, a 500 as kube answers
    /// it), and under Strict or Warn its duplicate keys are go-yaml's errors.
    func checkApplied(_ applied: JSONValue, duplicateLines: [String], _ type: ResourceType, namespace: String?, name: String,
                      validation: FieldValidation) throws {
        if let schema = Self.strictSchema(type) {
            let undeclared = schema.undeclaredForApply(applied)
            if !undeclared.isEmpty {
                let text = undeclared.count == 1 ? undeclared[0] : (["errors:"] + undeclared.map { "  " + $0 }).joined(separator: "\n")
                let group = type.group.isEmpty ? "" : type.group
                throw KubeStatus(code: 500, reason: "",
                                 message: "failed to create typed patch object (\(namespace ?? "")/\(name); \(group)/\(type.version), Kind=\(type.kind)): \(text)")
            }
        }
        var found = StrictDecodingErrors()
        found.yamlDuplicateLines = duplicateLines
        try validation.report(found) { found in
            KubeStatus.badRequest("error strict decoding YAML: error converting YAML to JSON: \(found.yamlError ?? "")")
        }
    }
}
