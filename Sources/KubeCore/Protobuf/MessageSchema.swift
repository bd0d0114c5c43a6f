/// What one protobuf field holds and how it reads as JSON.
///
/// Besides the proto scalars and named messages there are the apimachinery types whose JSON
/// is not the JSON of their proto message: Go gives them custom MarshalJSON methods.
enum FieldType: Sendable, Equatable {
    /// UTF-8 text.
    case string
    /// Raw bytes; JSON shows them base64-encoded, as Go's encoding/json does for `[]byte`.
    case bytes
    /// A varint read as a signed 32-bit number.
    case int32
    /// A varint read as a signed 64-bit number.
    case int64
    /// A varint read as true when non-zero.
    case bool
    /// A fixed64 read as an IEEE double.
    case double
    /// A nested message, by schema name.
    case message(String)
    /// meta/v1 Time {int64 seconds = 1; int32 nanos = 2}: RFC 3339 to the second.
    case time
    /// meta/v1 MicroTime, the same message: RFC 3339 with six fractional digits.
    case microTime
    /// meta/v1 Duration {int64 duration = 1} in nanoseconds: Go's `time.Duration` text.
    case duration
    /// util/intstr IntOrString {int64 type = 1; int32 intVal = 2; string strVal = 3}.
    case intOrString
    /// api/resource Quantity {string string = 1}: the quantity's text.
    case quantity
    /// runtime RawExtension {bytes raw = 1}: the embedded JSON document.
    case rawExtension
    /// meta/v1 FieldsV1 {bytes Raw = 1}: the managed-fields trie, itself JSON text.
    case fieldsV1
    /// A Go `[]string` type wrapped as {repeated string items = 1} (authentication's
    /// ExtraValue): a plain JSON array.
    case stringList

    /// Whether a zero value of this type is dropped from JSON unless the field keeps zeros.
    /// Messages never are: Go's `omitempty` ignores structs, so a struct on the wire is
    /// always printed, as `{}` when empty. Quantity and Duration are structs too ("0", "0s").
    var zeroIsOmittable: Bool {
        switch self {
        case .string, .bytes, .int32, .int64, .bool, .double, .intOrString: return true
        default: return false
        }
    }

    /// Whether repeated values of this type may come packed in one length-delimited field.
    var isPackable: Bool {
        switch self {
        case .int32, .int64, .bool, .double: return true
        default: return false
        }
    }
}

/// How many values a field holds.
enum FieldShape: Sendable, Equatable {
    /// At most one value; a later occurrence replaces an earlier one.
    case single
    /// A JSON array, one element per occurrence (or per packed element).
    case repeated
    /// `map<string, T>`: repeated entries {key = 1; value = 2} that build a JSON object.
    case map
    /// An embedded Go struct tagged `json:",inline"`: its fields join the parent object.
    /// In protobuf it is an ordinary nested message.
    case inline
}

/// Whether a zero value read from the wire is printed.
///
/// gogo-protobuf writes every non-pointer scalar, even "" or 0 or false, so the wire alone
/// cannot tell "unset" from "zero". Go's JSON output can: a pointer field (`*int32`) that
/// arrived is printed even when zero, a field without `omitempty` is always printed, and an
/// `omitempty` value field is dropped when zero. The schemas mark the first two `.keep`.
enum ZeroPolicy: Sendable, Equatable {
    /// `omitempty` on a value field: "", 0, false and an all-zero IntOrString are dropped.
    case omitEmpty
    /// A pointer field, or one without `omitempty`: printed whenever it is on the wire.
    case keep
}

/// One field of a message schema.
struct FieldSchema: Sendable, Equatable {
    /// The protobuf field number, exactly as in the k8s generated.proto.
    let number: Int
    /// The JSON member name (the Go json tag), unused for inline fields.
    let jsonName: String
    /// What the field (or each element, or each map value) holds.
    let type: FieldType
    /// Single, repeated, map or inline.
    let shape: FieldShape
    /// Whether a zero value is printed.
    let zeroPolicy: ZeroPolicy

    /// A single-valued field.
    static func field(_ number: Int, _ jsonName: String, _ type: FieldType, _ zeroPolicy: ZeroPolicy = .omitEmpty) -> FieldSchema {
        FieldSchema(number: number, jsonName: jsonName, type: type, shape: .single, zeroPolicy: zeroPolicy)
    }

    /// A repeated field (a JSON array).
    static func list(_ number: Int, _ jsonName: String, _ type: FieldType) -> FieldSchema {
        FieldSchema(number: number, jsonName: jsonName, type: type, shape: .repeated, zeroPolicy: .keep)
    }

    /// A `map<string, valueType>` field (a JSON object).
    static func map(_ number: Int, _ jsonName: String, _ valueType: FieldType) -> FieldSchema {
        FieldSchema(number: number, jsonName: jsonName, type: valueType, shape: .map, zeroPolicy: .keep)
    }

    /// An embedded struct whose JSON fields are inlined into the parent.
    static func inline(_ number: Int, _ message: String) -> FieldSchema {
        FieldSchema(number: number, jsonName: "", type: .message(message), shape: .inline, zeroPolicy: .keep)
    }
}

/// A protobuf message as a table from field number to field: the declarative form of one
/// `message` in a k8s generated.proto, with the JSON facts the .proto file does not carry.
struct MessageSchema: Sendable {
    /// The message name, unique across the schemas here (k8s type names do not collide
    /// across the API groups covered).
    let name: String
    /// The fields by number.
    let fields: [Int: FieldSchema]

    /// Builds a schema; a duplicate field number is a programming error.
    init(_ name: String, _ fields: [FieldSchema]) {
        self.name = name
        self.fields = Dictionary(fields.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in
            preconditionFailure("duplicate field \(first.number) in schema \(name)")
        })
    }
}

extension MessageSchema {
    /// A `<Kind>Condition` laid out as most built-in APIs declare it: `type` = 1 and `status` = 2
    /// (always written), the `timestamps` numbered on from `firstTimestamp`, then `reason` and
    /// `message`. Conditions that differ (Deployment's, Pod's, meta/v1's) spell their fields out.
    static func condition(_ name: String, timestamps: [String], firstTimestamp: Int = 3) -> MessageSchema {
        let times = timestamps.enumerated().map { FieldSchema.field(firstTimestamp + $0.offset, $0.element, .time) }
        let next = firstTimestamp + timestamps.count
        return MessageSchema(name, [
            .field(1, "type", .string, .keep),
            .field(2, "status", .string, .keep),
        ] + times + [
            .field(next, "reason", .string),
            .field(next + 1, "message", .string),
        ])
    }
}
