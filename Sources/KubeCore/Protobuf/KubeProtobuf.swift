import Foundation

/// Decodes Kubernetes protobuf request bodies into the JSON kube-apiserver would produce.
///
/// kubectl 1.32 and later send `kubectl create …` bodies as
/// `application/vnd.kubernetes.protobuf`. The body is the magic `k8s\0` followed by a
/// `runtime.Unknown { TypeMeta typeMeta = 1; bytes raw = 2; string contentEncoding = 3;
/// string contentType = 4 }` (k8s.io/apimachinery/pkg/runtime/serializer/protobuf), whose
/// `raw` is the object's own message from k8s.io/api's generated.proto. Only Foundation is
/// used: the messages are read with declarative schemas rather than generated code.
public enum KubeProtobuf {
    /// The media type.
    public static let mediaType = "application/vnd.kubernetes.protobuf"

    /// The four bytes every envelope starts with; the fourth is "reserved for the encoding
    /// style", 0 meaning runtime.Unknown.
    static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    /// Decodes an envelope (magic + runtime.Unknown) into the JSON object kube would produce,
    /// with "apiVersion" and "kind" set from the TypeMeta. Throws KubeProtobufError for bad
    /// framing or a kind with no schema here (the caller answers 415 then).
    public static func decode(_ bytes: [UInt8]) throws -> JSONValue {
        try decode(bytes, depth: 0)
    }

    /// Whether a JSON object of this apiVersion and kind can be decoded from protobuf here.
    public static func hasSchema(apiVersion: String, kind: String) -> Bool {
        ProtobufSchemas.topLevel(apiVersion: apiVersion, kind: kind) != nil
    }

    /// `decode`, counting nesting so a RawExtension holding another envelope cannot recurse
    /// without end.
    static func decode(_ bytes: [UInt8], depth: Int) throws -> JSONValue {
        guard depth < SchemaDecoder.maximumDepth else {
            throw KubeProtobufError("protobuf: envelopes nested too deeply")
        }
        guard bytes.count >= magic.count, bytes.starts(with: magic) else {
            throw KubeProtobufError("protobuf: body does not start with the k8s\\0 magic")
        }
        let envelope = try Envelope(ProtobufReader(bytes, range: magic.count..<bytes.count))
        guard envelope.contentEncoding.isEmpty else {
            throw KubeProtobufError("protobuf: unsupported content encoding \(envelope.contentEncoding)")
        }
        guard !envelope.kind.isEmpty else {
            throw KubeProtobufError("protobuf: envelope has no kind")
        }
        var object: [String: JSONValue]
        switch envelope.contentType {
        case "", mediaType:
            guard let schema = ProtobufSchemas.topLevel(apiVersion: envelope.apiVersion, kind: envelope.kind) else {
                throw KubeProtobufError("no protobuf schema for \(envelope.apiVersion)/\(envelope.kind)")
            }
            let decoder = SchemaDecoder(schemas: ProtobufSchemas.all)
            object = try decoder.decode(ProtobufReader(envelope.raw), as: schema, depth: depth)
        case "application/json":
            // An Unknown may wrap JSON; then raw is already what we want.
            guard case .object(let parsed) = try JSONValue(parsing: Data(envelope.raw)) else {
                throw KubeProtobufError("protobuf: wrapped JSON is not an object")
            }
            object = parsed
        default:
            throw KubeProtobufError("protobuf: unsupported wrapped content type \(envelope.contentType)")
        }
        object["apiVersion"] = .string(envelope.apiVersion)
        object["kind"] = .string(envelope.kind)
        return .object(object)
    }
}

/// The fields of runtime.Unknown and its TypeMeta {apiVersion = 1; kind = 2}.
private struct Envelope {
    var apiVersion = ""
    var kind = ""
    var raw: [UInt8] = []
    var contentEncoding = ""
    var contentType = ""

    init(_ reader: ProtobufReader) throws {
        var reader = reader
        while let (number, wireType) = try reader.readTag() {
            guard wireType == .lengthDelimited else {
                try reader.skip(wireType)
                continue
            }
            switch number {
            case 1:
                var typeMeta = reader.reader(for: try reader.readLengthDelimited())
                while let (field, fieldWire) = try typeMeta.readTag() {
                    guard fieldWire == .lengthDelimited, field == 1 || field == 2 else {
                        try typeMeta.skip(fieldWire)
                        continue
                    }
                    let text = String(decoding: try typeMeta.readBytes(), as: UTF8.self)
                    if field == 1 { apiVersion = text } else { kind = text }
                }
            case 2: raw = try reader.readBytes()
            case 3: contentEncoding = String(decoding: try reader.readBytes(), as: UTF8.self)
            case 4: contentType = String(decoding: try reader.readBytes(), as: UTF8.self)
            default: try reader.skip(wireType)
            }
        }
    }
}
