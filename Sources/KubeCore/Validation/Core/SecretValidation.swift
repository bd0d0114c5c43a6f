import Foundation

/// `ValidateSecret` and `ValidateSecretUpdate` (core validation): keys, total size, the keys
/// each built-in type requires, an unchanged type, and nothing changes once `immutable` is set.
/// Runs after defaulting, which folds `stringData` into `data` and sets type Opaque.
public enum SecretValidation {
    /// The kind's rules; `old` is the stored Secret on update.
    @Sendable public static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        if let old {
            let type = object["type"]?.string ?? ""
            if type != (old["type"]?.string ?? "") {
                errors.append(FieldError(FieldPath("type"), .invalid(value: .string(type), detail: ObjectMetaValidation.immutableMessage)))
            }
            errors += ConfigMapValidation.immutableErrors(object, old, fields: ["data"])
        }
        let dataPath = FieldPath("data")
        let data = object["data"]?.object ?? [:]
        var total = 0
        for (key, value) in data.sorted(by: { $0.key < $1.key }) {
            errors += NameValidation.configMapKeyErrors(key).map { FieldError(dataPath.key(key), .invalid(value: .string(key), detail: $0)) }
            total += decodedCount(value)
        }
        if total > ConfigMapValidation.maxSize {
            errors.append(FieldError(dataPath, .tooLong(maxLength: ConfigMapValidation.maxSize)))
        }
        errors += typeErrors(object["type"]?.string ?? "", data: data, annotations: object["metadata"]?["annotations"])
        return errors
    }

    /// The keys (or annotation) each built-in Secret type requires.
    private static func typeErrors(_ type: String, data: [String: JSONValue], annotations: JSONValue?) -> [FieldError] {
        let dataPath = FieldPath("data")
        switch type {
        case "kubernetes.io/service-account-token":
            let key = "kubernetes.io/service-account.name"
            if (annotations?[key]?.string ?? "").isEmpty {
                return [FieldError(FieldPath("metadata", "annotations").key(key), .required(detail: ""))]
            }
        case "kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson":
            let key = type == "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson"
            guard let value = data[key] else { return [FieldError(dataPath.key(key), .required(detail: ""))] }
            if let problem = jsonObjectProblem(decoded(value)) {
                return [FieldError(dataPath.key(key), .invalid(value: .string("<secret contents redacted>"), detail: problem))]
            }
        case "kubernetes.io/basic-auth":
            if data["username"] == nil, data["password"] == nil {
                return [FieldError(dataPath.key("username"), .required(detail: "")), FieldError(dataPath.key("password"), .required(detail: ""))]
            }
        case "kubernetes.io/ssh-auth":
            if decodedCount(data["ssh-privatekey"] ?? .string("")) == 0 {
                return [FieldError(dataPath.key("ssh-privatekey"), .required(detail: ""))]
            }
        case "kubernetes.io/tls":
            return ["tls.crt", "tls.key"].filter { data[$0] == nil }.map { FieldError(dataPath.key($0), .required(detail: "")) }
        default:
            break
        }
        return []
    }

    /// Why `bytes` do not decode into a Go `map[string]interface{}`, worded as
    /// `encoding/json` words it for the common cases; nil when they do.
    private static func jsonObjectProblem(_ bytes: [UInt8]) -> String? {
        guard let value = try? JSONValue(parsing: bytes) else {
            let text = String(decoding: bytes, as: UTF8.self)
            guard let first = text.first(where: { !" \t\r\n".contains($0) }) else { return "unexpected end of JSON input" }
            if !"{[\"tfn-0123456789".contains(first) {
                return "invalid character '\(first)' looking for beginning of value"
            }
            // Deeper syntax errors: Go names the character and where it was expected.
            return "unexpected end of JSON input"
        }
        switch value {
        case .object, .null: return nil
        default: return "json: cannot unmarshal \(value.goTypeName) into Go value of type map[string]interface {}"
        }
    }

    /// The bytes a base64 data value stands for (the text itself when it is not base64,
    /// which the decoder would have refused before validation).
    static func decoded(_ value: JSONValue) -> [UInt8] {
        let text = value.string ?? ""
        if let data = Data(base64Encoded: text) { return [UInt8](data) }
        return Array(text.utf8)
    }

    /// The decoded length of a base64 data value.
    static func decodedCount(_ value: JSONValue) -> Int { decoded(value).count }
}
