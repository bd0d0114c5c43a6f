import Foundation
import KubeCore

/// Reading kube-apiserver's answers: failures as ``KubeStatus``, lists as ``KubeList``.
public enum KubeResponse {
    /// The ``KubeStatus`` of a failed request: the `Status` object the server sent, or, when the
    /// body is something else (a proxy's page, an empty body), the HTTP code with the body's text.
    public static func status(code: Int, body: Data) -> KubeStatus {
        if let json = try? JSONValue(parsing: body), json["kind"]?.string == "Status" {
            return status(from: json, fallbackCode: code)
        }
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return KubeStatus(code: code, reason: reason(forCode: code),
                          message: text.isEmpty ? "the server responded with HTTP \(code)" : text)
    }

    /// A `Status` object as a ``KubeStatus`` (a watch's ERROR event carries one).
    public static func status(from json: JSONValue, fallbackCode: Int = 500) -> KubeStatus {
        let code = json["code"]?.int ?? fallbackCode
        return KubeStatus(code: code, reason: json["reason"]?.string ?? reason(forCode: code),
                          message: json["message"]?.string ?? "", details: json["details"])
    }

    /// A list response as a page: items get the `apiVersion` and `kind` the server leaves out of
    /// them.
    public static func list(_ json: JSONValue, type: ResourceType) -> KubeList {
        let items = (json["items"]?.array ?? []).map { item -> JSONValue in
            var item = item
            if item["apiVersion"] == nil { item["apiVersion"] = .string(type.apiVersion) }
            if item["kind"] == nil { item["kind"] = .string(type.kind) }
            return item
        }
        let token = json["metadata"]?["continue"]?.string
        return KubeList(items: items, resourceVersion: json["metadata"]?["resourceVersion"]?.string ?? "",
                        continueToken: token?.isEmpty == true ? nil : token)
    }

    /// The reason apimachinery assigns a bare HTTP code (`errors.NewGenericServerResponse`).
    static func reason(forCode code: Int) -> String {
        switch code {
        case 400: return "BadRequest"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 409: return "Conflict"
        case 410: return "Expired"
        case 415: return "UnsupportedMediaType"
        case 422: return "Invalid"
        case 429: return "TooManyRequests"
        case 500: return "InternalError"
        case 503: return "ServiceUnavailable"
        case 504: return "Timeout"
        default: return "Unknown"
        }
    }
}
