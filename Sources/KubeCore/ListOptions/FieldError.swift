/// One validation error as apimachinery's `field.Error` words it (`util/validation/field`), for
/// the request-option checks whose messages clients see verbatim.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The error type, with what its message carries.
    public enum Kind: Sendable, Hashable {
        /// `field.Forbidden`: `Forbidden: <detail>`.
        case forbidden(detail: String)
        /// `field.NotSupported`: `Unsupported value: "<value>": supported values: "a", "b"`.
        case notSupported(value: String, supported: [String])
        /// `field.Invalid` with a string value: `Invalid value: "<value>": <detail>`.
        case invalid(value: String, detail: String)
    }

    /// The field path, e.g. `resourceVersionMatch`.
    public var field: String
    /// What is wrong.
    public var kind: Kind

    /// An error on `field`.
    public init(field: String, _ kind: Kind) {
        self.field = field
        self.kind = kind
    }

    /// `ErrorBody()`: the message without the field, as a Status cause carries it.
    public var body: String {
        switch kind {
        case .forbidden(let detail):
            return "Forbidden: \(detail)"
        case .notSupported(let value, let supported):
            let values = supported.map(goQuoted).joined(separator: ", ")
            return "Unsupported value: \(goQuoted(value))" + (supported.isEmpty ? "" : ": supported values: \(values)")
        case .invalid(let value, let detail):
            return "Invalid value: \(goQuoted(value))" + (detail.isEmpty ? "" : ": \(detail)")
        }
    }

    /// `Error()`: `<field>: <body>`.
    public var description: String { "\(field): \(body)" }

    /// The cause type a Status names it by (`metav1.CauseType`).
    public var causeReason: String {
        switch kind {
        case .forbidden: return "FieldValueForbidden"
        case .notSupported: return "FieldValueNotSupported"
        case .invalid: return "FieldValueInvalid"
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
}
