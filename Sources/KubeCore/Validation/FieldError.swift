/// One validation error as apimachinery's `field.Error` words it (`util/validation/field`):
/// request-option checks and object validation, whose messages clients see verbatim.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The error type, with what its message carries (`field.ErrorType` and its constructors).
    public enum Kind: Sendable, Hashable {
        /// `field.Required`: `Required value[: <detail>]`.
        case required(detail: String)
        /// `field.Forbidden`: `Forbidden: <detail>`.
        case forbidden(detail: String)
        /// `field.NotSupported`: `Unsupported value: <value>: supported values: "a", "b"`.
        case notSupported(value: GoValue, supported: [String])
        /// `field.Invalid`: `Invalid value: <value>[: <detail>]`.
        case invalid(value: GoValue, detail: String)
        /// `field.Duplicate`: `Duplicate value: <value>`.
        case duplicate(value: GoValue)
        /// `field.NotFound`: `Not found: <value>`.
        case notFound(value: GoValue)
        /// `field.TooLong`: `Too long: may not be more than <n> bytes` (the value is not shown).
        case tooLong(maxLength: Int)
        /// `field.TypeInvalid`: `Invalid value: <value>: <detail>`, for a value of the wrong type.
        case typeInvalid(value: GoValue, detail: String)
        /// `field.TooMany`: `Too many: <actual>: must have at most <n> items`.
        case tooMany(actual: Int, max: Int)
        /// `field.InternalError`: `Internal error: <detail>`.
        case `internal`(detail: String)
    }

    /// The field path, e.g. `spec.containers[0].ports[0].containerPort`.
    public var field: String
    /// What is wrong.
    public var kind: Kind

    /// An error on `field`.
    public init(field: String, _ kind: Kind) {
        self.field = field
        self.kind = kind
    }

    /// An error on `path`.
    public init(_ path: FieldPath, _ kind: Kind) {
        self.init(field: path.description, kind)
    }

    /// `ErrorBody()`: the message without the field, as a Status cause carries it.
    public var body: String {
        func with(_ head: String, _ detail: String) -> String { detail.isEmpty ? head : "\(head): \(detail)" }
        switch kind {
        case .required(let detail):
            return with("Required value", detail)
        case .forbidden(let detail):
            return with("Forbidden", detail)
        case .notSupported(let value, let supported):
            let values = supported.map(goQuoted).joined(separator: ", ")
            return with(with("Unsupported value", value.formatted), supported.isEmpty ? "" : "supported values: \(values)")
        case .invalid(let value, let detail):
            return with(with("Invalid value", value.formatted), detail)
        case .duplicate(let value):
            return with("Duplicate value", value.formatted)
        case .notFound(let value):
            return with("Not found", value.formatted)
        case .tooLong(let maxLength):
            return "Too long: may not be more than \(maxLength) bytes"
        case .typeInvalid(let value, let detail):
            return with(with("Invalid value", value.formatted), detail)
        case .tooMany(let actual, let max):
            return "Too many: \(actual): must have at most \(max) items"
        case .internal(let detail):
            return with("Internal error", detail)
        }
    }

    /// `Error()`: `<field>: <body>`.
    public var description: String { "\(field): \(body)" }

    /// The cause type a Status names it by (`metav1.CauseType`).
    public var causeReason: String {
        switch kind {
        case .required: return "FieldValueRequired"
        case .forbidden: return "FieldValueForbidden"
        case .notSupported: return "FieldValueNotSupported"
        case .invalid: return "FieldValueInvalid"
        case .duplicate: return "FieldValueDuplicate"
        case .notFound: return "FieldValueNotFound"
        case .tooLong: return "FieldValueTooLong"
        case .typeInvalid: return "FieldValueTypeInvalid"
        case .tooMany: return "FieldValueTooMany"
        case .internal: return "InternalError"
        }
    }

    /// `ErrorList.ToAggregate().Error()`: one message as it is, several (duplicates dropped)
    /// as `[a, b]`.
    public static func aggregate(_ errors: [FieldError]) -> String {
        var seen = Set<String>()
        let messages = errors.map(\.description).filter { seen.insert($0).inserted }
        return messages.count == 1 ? messages[0] : "[" + messages.joined(separator: ", ") + "]"
    }
}

extension KubeStatus {
    /// 422 as `errors.NewInvalid(groupKind, name, errs)` builds it: `ListOptions.meta.k8s.io ""
    /// is invalid: …`, with the group, kind, name and one cause per error in `details`.
    public static func invalid(group: String, kind: String, name: String, errors: [FieldError]) -> KubeStatus {
        let groupKind = group.isEmpty ? kind : "\(kind).\(group)"
        var details: [String: JSONValue] = ["kind": .string(kind)]
        if !group.isEmpty { details["group"] = .string(group) }
        if !name.isEmpty { details["name"] = .string(name) }
        details["causes"] = .array(errors.map {
            .object(["reason": .string($0.causeReason), "message": .string($0.body), "field": .string($0.field)])
        })
        return KubeStatus(code: 422, reason: "Invalid",
                          message: "\(groupKind) \(goQuoted(name)) is invalid: \(FieldError.aggregate(errors))",
                          details: .object(details))
    }

    /// 422 for an object of `type` that failed validation.
    public static func invalid(_ type: ResourceType, name: String, errors: [FieldError]) -> KubeStatus {
        invalid(group: type.group, kind: type.kind, name: name, errors: errors)
    }
}
