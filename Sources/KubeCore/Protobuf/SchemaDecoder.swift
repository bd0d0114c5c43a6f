import Foundation

/// Turns the bytes of one protobuf message into the JSON object Go would print for the same
/// struct, guided by a `MessageSchema`. Fields missing from a schema are skipped, as Go's
/// generated unmarshalers skip fields they do not know.
struct SchemaDecoder {
    /// Messages may nest (a ClusterRole's selectors, a CronJob's pod template): bound the
    /// depth so hostile input cannot exhaust the stack.
    static let maximumDepth = 64

    /// The schemas that `.message` names resolve against.
    let schemas: [String: MessageSchema]

    /// Decodes `reader`'s message as `schema`.
    func decode(_ reader: ProtobufReader, as schema: MessageSchema, depth: Int = 0) throws -> [String: JSONValue] {
        guard depth < Self.maximumDepth else {
            throw KubeProtobufError("protobuf: messages nested deeper than \(Self.maximumDepth)")
        }
        var reader = reader
        var singles: [String: JSONValue] = [:]
        var lists: [String: [JSONValue]] = [:]
        var maps: [String: [String: JSONValue]] = [:]
        var inlined: [String: JSONValue] = [:]
        // Which single fields must be printed even when zero, by JSON name.
        var keepsZero: [String: Bool] = [:]

        while let (number, wireType) = try reader.readTag() {
            guard let field = schema.fields[number] else {
                try reader.skip(wireType)
                continue
            }
            switch field.shape {
            case .single:
                let value = try decodeValue(field, in: schema, wireType: wireType, reader: &reader, depth: depth)
                singles[field.jsonName] = value
                keepsZero[field.jsonName] = field.zeroPolicy == .keep || !field.type.zeroIsOmittable
            case .repeated:
                if wireType == .lengthDelimited, field.type.isPackable {
                    // Packed scalars: one length-delimited run of values.
                    var packed = reader.reader(for: try reader.readLengthDelimited())
                    let scalarWire: WireType = field.type == .double ? .fixed64 : .varint
                    while !packed.isAtEnd {
                        if let value = try decodeValue(field, in: schema, wireType: scalarWire, reader: &packed, depth: depth) {
                            lists[field.jsonName, default: []].append(value)
                        }
                    }
                } else if let value = try decodeValue(field, in: schema, wireType: wireType, reader: &reader, depth: depth) {
                    lists[field.jsonName, default: []].append(value)
                } else {
                    // A null element (zero Time in a list) still holds its place, as in Go.
                    lists[field.jsonName, default: []].append(.null)
                }
            case .map:
                let entry = reader.reader(for: try expect(.lengthDelimited, wireType, field, schema, &reader))
                let (key, value) = try decodeMapEntry(field, in: schema, reader: entry, depth: depth)
                maps[field.jsonName, default: [:]][key] = value
            case .inline:
                let range = try expect(.lengthDelimited, wireType, field, schema, &reader)
                guard case .message(let name) = field.type, let inner = schemas[name] else {
                    throw KubeProtobufError("protobuf: no schema for inline message of \(schema.name).\(number)")
                }
                for (key, value) in try decode(reader.reader(for: range), as: inner, depth: depth + 1) {
                    inlined[key] = value
                }
            }
        }

        var object = inlined
        for (name, value) in singles {
            if keepsZero[name] == true || !Self.isZero(value) {
                object[name] = value
            }
        }
        for (name, values) in lists { object[name] = .array(values) }
        for (name, entries) in maps { object[name] = .object(entries) }
        return object
    }

    /// One value of `field`'s type; nil when the value prints as null (a zero Time, an
    /// empty RawExtension), which means "omit" for a single field.
    private func decodeValue(
        _ field: FieldSchema, in schema: MessageSchema, wireType: WireType,
        reader: inout ProtobufReader, depth: Int
    ) throws -> JSONValue? {
        switch field.type {
        case .string:
            let range = try expect(.lengthDelimited, wireType, field, schema, &reader)
            return .string(String(decoding: reader.slice(range), as: UTF8.self))
        case .bytes:
            let range = try expect(.lengthDelimited, wireType, field, schema, &reader)
            return .string(Data(reader.slice(range)).base64EncodedString())
        case .int32:
            try expectWire(.varint, wireType, field, schema)
            return .integer(Int(Int32(truncatingIfNeeded: try reader.readVarint())))
        case .int64:
            try expectWire(.varint, wireType, field, schema)
            return .integer(Int(Int64(bitPattern: try reader.readVarint())))
        case .bool:
            try expectWire(.varint, wireType, field, schema)
            return .bool(try reader.readVarint() != 0)
        case .double:
            try expectWire(.fixed64, wireType, field, schema)
            return .number(Double(bitPattern: try reader.readFixed64()))
        case .message(let name):
            let range = try expect(.lengthDelimited, wireType, field, schema, &reader)
            guard let inner = schemas[name] else {
                throw KubeProtobufError("protobuf: no schema named \(name) for \(schema.name).\(field.jsonName)")
            }
            return .object(try decode(reader.reader(for: range), as: inner, depth: depth + 1))
        case .time:
            return try WellKnownTypes.time(reader.reader(for: try expect(.lengthDelimited, wireType, field, schema, &reader)))
        case .microTime:
            return try WellKnownTypes.microTime(reader.reader(for: try expect(.lengthDelimited, wireType, field, schema, &reader)))
        case .duration:
            return try WellKnownTypes.duration(reader.reader(for: try expect(.lengthDelimited, wireType, field, schema, &reader)))
        case .intOrString:
            return try WellKnownTypes.intOrString(reader.reader(for: try expect(.lengthDelimited, wireType, field, schema, &reader)))
        case .quantity:
            return try WellKnownTypes.quantity(reader.reader(for: try expect(.lengthDelimited, wireType, field, schema, &reader)))
        case .rawExtension:
            return try WellKnownTypes.rawExtension(
                reader.reader(for: try expect(.lengthDelimited, wireType, field, schema, &reader)), depth: depth)
        case .fieldsV1:
            return try WellKnownTypes.fieldsV1(reader.reader(for: try expect(.lengthDelimited, wireType, field, schema, &reader)))
        case .stringList:
            return try WellKnownTypes.stringList(reader.reader(for: try expect(.lengthDelimited, wireType, field, schema, &reader)))
        }
    }

    /// A map entry {key = 1; value = 2}. A missing value is the type's zero, which Go keeps
    /// in the map: `data: {"a": ""}` stays.
    private func decodeMapEntry(
        _ field: FieldSchema, in schema: MessageSchema, reader: ProtobufReader, depth: Int
    ) throws -> (String, JSONValue) {
        var reader = reader
        var key = ""
        var value: JSONValue?
        let valueField = FieldSchema.field(2, field.jsonName, field.type)
        while let (number, wireType) = try reader.readTag() {
            switch number {
            case 1:
                let range = try expect(.lengthDelimited, wireType, field, schema, &reader)
                key = String(decoding: reader.slice(range), as: UTF8.self)
            case 2:
                value = try decodeValue(valueField, in: schema, wireType: wireType, reader: &reader, depth: depth) ?? .null
            default:
                try reader.skip(wireType)
            }
        }
        return (key, value ?? Self.zeroValue(of: field.type))
    }

    /// The JSON of a type's zero value, for a map entry that omits its value.
    private static func zeroValue(of type: FieldType) -> JSONValue {
        switch type {
        case .string, .bytes: return .string("")
        case .int32, .int64, .intOrString: return .integer(0)
        case .bool: return .bool(false)
        case .double: return .number(0)
        case .message: return .object([:])
        case .stringList: return .array([])
        case .quantity: return .string("0")
        case .duration: return .string("0s")
        case .time, .microTime, .rawExtension, .fieldsV1: return .null
        }
    }

    /// Whether a decoded scalar is its type's zero ("", 0, false).
    private static func isZero(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let s): return s.isEmpty
        case .integer(let i): return i == 0
        case .number(let d): return d == 0
        case .bool(let b): return !b
        default: return false
        }
    }

    /// Checks the wire type, then reads a length-delimited payload's range.
    private func expect(
        _ expected: WireType, _ actual: WireType, _ field: FieldSchema, _ schema: MessageSchema,
        _ reader: inout ProtobufReader
    ) throws -> Range<Int> {
        try expectWire(expected, actual, field, schema)
        return try reader.readLengthDelimited()
    }

    /// Throws when a field arrives with a wire type its schema does not allow: either the
    /// bytes are not this message or the schema is wrong, and guessing would corrupt data.
    private func expectWire(_ expected: WireType, _ actual: WireType, _ field: FieldSchema, _ schema: MessageSchema) throws {
        guard expected == actual else {
            throw KubeProtobufError(
                "protobuf: \(schema.name) field \(field.number) (\(field.jsonName)) has wire type \(actual.rawValue), expected \(expected.rawValue)")
        }
    }
}
