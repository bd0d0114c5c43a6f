import Foundation
import KubeCore
import Yams

/// Request bodies as JSON values: JSON or YAML by content type, with kube-apiserver's
/// 400/415 answers for what cannot be decoded.
enum RequestBodyDecoder {
    /// Decodes an object body (`create`, `update`). `kind` names the expected kind in errors.
    static func object(_ bytes: [UInt8], contentType: String?, expect resource: ResourceType) throws -> JSONValue {
        try object(bytes, contentType: contentType, expect: resource, checking: false, schema: nil).value
    }

    /// Decodes an object body, and when `checking` also what kube-apiserver's strict decoding
    /// into `schema` (nil: duplicates only) reports: unknown and duplicate fields (JSON in document order; YAML's
    /// duplicate keys as go-yaml words them, then unknown fields in key order, as kube converts
    /// YAML to sorted JSON first). Protobuf bodies have neither.
    static func object(_ bytes: [UInt8], contentType: String?, expect resource: ResourceType,
                       checking: Bool, schema: StrictSchema?) throws -> (value: JSONValue, strictErrors: StrictDecodingErrors) {
        let media = mediaType(contentType)
        let value: JSONValue
        var found = StrictDecodingErrors()
        switch media {
        case "application/json", "", "*/*":
            if checking {
                (value, found.fieldErrors) = try strictJSON(bytes, schema: schema)
            } else {
                value = try json(bytes, resource: resource)
            }
        case "application/yaml", "application/x-yaml", "text/yaml":
            if checking {
                (value, found.yamlDuplicateLines) = try yamlCheckingDuplicates(bytes, resource: resource)
                if let schema { found.fieldErrors = schema.unknownFields(in: value) }
            } else {
                value = try yaml(bytes, resource: resource)
            }
        case KubeProtobuf.mediaType:
            // kubectl ≥ 1.32 sends built-in objects of `kubectl create …` as protobuf.
            do {
                value = try KubeProtobuf.decode(bytes)
            } catch let error as KubeProtobufError {
                throw KubeStatus(code: 415, reason: "UnsupportedMediaType",
                                 message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (\(error.message))")
            }
        default:
            throw KubeStatus.unsupportedMediaType(media)
        }
        guard case .object = value else {
            throw KubeStatus.badRequest("\(resource.kind) in version \"\(resource.version)\" cannot be handled as a \(resource.kind): json: cannot unmarshal \(value.goTypeName) into Go value of type struct")
        }
        return (value, found)
    }

    /// JSON text parsed strictly against `schema` (duplicates only without one).
    static func strictJSON(_ bytes: [UInt8], schema: StrictSchema?) throws -> (JSONValue, [String]) {
        guard !bytes.isEmpty else { throw KubeStatus.badRequest("Object 'Kind' is missing in ''") }
        do {
            return try JSONValue.parsingStrictly(bytes, schema: schema)
        } catch {
            throw KubeStatus.badRequest("couldn't get version/kind; json parse error: \(error)")
        }
    }

    /// YAML text, with go-yaml's duplicate-key lines. JSON text sent as YAML (what kubectl's
    /// server-side apply sends) gets every duplicate with its line; YAML proper gets Yams'
    /// refusal of duplicate keys as a decoding error.
    static func yamlCheckingDuplicates(_ bytes: [UInt8], resource: ResourceType) throws -> (JSONValue, [String]) {
        if bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{"),
           let parsed = try? JSONValue.parsingYAMLDuplicates(bytes) {
            return (parsed.value, parsed.duplicateLines)
        }
        return (try yaml(bytes, resource: resource), [])
    }

    /// The media type without parameters, lower-cased.
    static func mediaType(_ contentType: String?) -> String {
        (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    /// JSON text, with the error kube's decoder gives for malformed input.
    static func json(_ bytes: [UInt8], resource: ResourceType) throws -> JSONValue {
        guard !bytes.isEmpty else {
            throw KubeStatus.badRequest("Object 'Kind' is missing in ''")
        }
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw KubeStatus.badRequest("couldn't get version/kind; json parse error: \(error)")
        }
    }

    /// YAML text (kubectl sends JSON, but curl users and server-side apply send YAML).
    static func yaml(_ bytes: [UInt8], resource: ResourceType) throws -> JSONValue {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            guard let loaded = try Yams.load(yaml: text) else { return .object([:]) }
            return JSONValue(yamlValue: loaded)
        } catch {
            throw KubeStatus.badRequest("error converting YAML to JSON: \(error)")
        }
    }
}

extension JSONValue {
    /// Converts what Yams loads into JSON values.
    init(yamlValue value: Any) {
        switch value {
        case let b as Bool: self = .bool(b)
        case let i as Int: self = .integer(i)
        case let d as Double: self = .number(d)
        case let s as String: self = .string(s)
        case let a as [Any]: self = .array(a.map(JSONValue.init(yamlValue:)))
        case let o as [String: Any]: self = .object(o.mapValues(JSONValue.init(yamlValue:)))
        case let o as [AnyHashable: Any]:
            var out: [String: JSONValue] = [:]
            for (k, v) in o { out["\(k.base)"] = JSONValue(yamlValue: v) }
            self = .object(out)
        case let d as Date: self = .string(ISO8601DateFormatter().string(from: d))
        default: self = .null
        }
    }
}
