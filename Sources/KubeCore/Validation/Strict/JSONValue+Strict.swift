/// What kube-apiserver's strict decoding found in a request body: go-yaml's duplicate-key
/// lines (YAML bodies) and `sigs.k8s.io/json`'s unknown and duplicate fields.
public struct StrictDecodingErrors: Sendable, Equatable {
    /// `line 5: key "name" already set in map`, for a YAML body.
    public var yamlDuplicateLines: [String] = []
    /// `unknown field "spec.foo"`, `duplicate field "spec.replicas"`.
    public var fieldErrors: [String] = []

    /// No errors.
    public init() {}

    /// Whether nothing was found.
    public var isEmpty: Bool { yamlDuplicateLines.isEmpty && fieldErrors.isEmpty }

    /// go-yaml's one error for all duplicate keys, nil when there are none.
    public var yamlError: String? {
        yamlDuplicateLines.isEmpty ? nil : "yaml: unmarshal errors:\n" + yamlDuplicateLines.map { "  " + $0 }.joined(separator: "\n")
    }

    /// The errors `runtime.NewStrictDecodingError` joins (`strict decoding error: a, b`).
    public var errors: [String] { (yamlError.map { [$0] } ?? []) + fieldErrors }

    /// The texts `Warn` sends, one `Warning` header each: go-yaml's lines one by one.
    public var warnings: [String] { yamlDuplicateLines + fieldErrors }

    /// `strict decoding error: …`.
    public var message: String { "strict decoding error: " + errors.joined(separator: ", ") }
}

extension JSONValue {
    /// Parses UTF-8 JSON text as ``init(parsing:)`` does, and also returns what kube-apiserver's
    /// strict decoding into `schema` reports: unknown and duplicate fields, in document order,
    /// worded as `sigs.k8s.io/json` words them. With no schema only duplicates are found.
    public static func parsingStrictly(_ bytes: [UInt8], schema: StrictSchema?) throws -> (value: JSONValue, strictErrors: [String]) {
        let (value, state) = try bytes.withUnsafeBufferPointer { buffer throws(JSONValueParseError) in
            try JSONValueParser.parseStrict(buffer, state: StrictDecodingState(schema: schema))
        }
        return (value, state.errors)
    }

    /// Parses JSON text sent as YAML: duplicates as go-yaml reports them, with their lines.
    public static func parsingYAMLDuplicates(_ bytes: [UInt8]) throws -> (value: JSONValue, duplicateLines: [String]) {
        let (value, state) = try bytes.withUnsafeBufferPointer { buffer throws(JSONValueParseError) in
            try JSONValueParser.parseStrict(buffer, state: StrictDecodingState(schema: nil, yamlDuplicates: true))
        }
        return (value, state.duplicateLines)
    }
}

extension StrictSchema {
    /// The members of `value` this schema does not declare, as strict decoding reports them
    /// (`unknown field "spec.foo"`), members visited in key order as kube's converter from
    /// unstructured does for patched objects and for YAML (which it turns into sorted JSON).
    public func unknownFields(in value: JSONValue) -> [String] {
        var state = StrictDecodingState(schema: self)
        state.walk(value, node: root)
        return state.errors
    }

    /// A JSON patch document's shape: operations with `op`, `path`, `from` and `value`.
    public static let jsonPatch = StrictSchema(openAPIV3Schema: .object([
        "type": .string("array"),
        "items": .object([
            "type": .string("object"),
            "properties": .object([
                "op": .object(["type": .string("string")]),
                "path": .object(["type": .string("string")]),
                "from": .object(["type": .string("string")]),
                "value": .object([:]),
            ]),
        ]),
    ]))
}
