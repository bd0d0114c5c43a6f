/// A `metav1.Status` failure: the body, HTTP code and reason kube-apiserver answers with.
///
/// Thrown from anywhere below the HTTP layer; the server turns it into the response, so every
/// error a client sees has the shape kubectl and client-go parse (`Error from server (NotFound)…`).
public struct KubeStatus: Error, Sendable, Equatable {
    /// The HTTP status code, also `code` in the body.
    public var code: Int
    /// The machine-readable reason, e.g. `NotFound`, `Conflict`, `Invalid`.
    public var reason: String
    /// The human-readable message.
    public var message: String
    /// `details`, when the error is about one object.
    public var details: JSONValue?

    /// Creates a status failure.
    public init(code: Int, reason: String, message: String, details: JSONValue? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    /// The `Status` object as JSON.
    public var json: JSONValue {
        var body: [String: JSONValue] = [
            "kind": .string("Status"),
            "apiVersion": .string("v1"),
            "metadata": .object([:]),
            "status": .string("Failure"),
            "message": .string(message),
            "code": .integer(code),
        ]
        if !reason.isEmpty { body["reason"] = .string(reason) }
        if let details { body["details"] = details }
        return .object(body)
    }

    /// `{name, group, kind}` details naming one object of a resource.
    static func details(_ resource: ResourceType?, name: String?, kindOverride: String? = nil) -> JSONValue {
        var d: [String: JSONValue] = [:]
        if let name, !name.isEmpty { d["name"] = .string(name) }
        if let resource {
            if !resource.group.isEmpty { d["group"] = .string(resource.group) }
            d["kind"] = .string(kindOverride ?? resource.plural)
        }
        return .object(d)
    }

    /// 404: `pods "x" not found`.
    public static func notFound(_ resource: ResourceType, name: String) -> KubeStatus {
        KubeStatus(code: 404, reason: "NotFound", message: "\(resource.qualifiedName) \"\(name)\" not found",
                   details: details(resource, name: name))
    }

    /// 404 for a URL that names no resource or route.
    public static func pathNotFound(_ path: String) -> KubeStatus {
        KubeStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource",
                   details: .object([:]))
    }

    /// 409: `configmaps "x" already exists`.
    public static func alreadyExists(_ resource: ResourceType, name: String) -> KubeStatus {
        KubeStatus(code: 409, reason: "AlreadyExists", message: "\(resource.qualifiedName) \"\(name)\" already exists",
                   details: details(resource, name: name))
    }

    /// 409: the optimistic-concurrency failure of an update with a stale resourceVersion.
    public static func conflict(_ resource: ResourceType, name: String, why: String =
        "the object has been modified; please apply your changes to the latest version and try again") -> KubeStatus {
        KubeStatus(code: 409, reason: "Conflict",
                   message: "Operation cannot be fulfilled on \(resource.qualifiedName) \"\(name)\": \(why)",
                   details: details(resource, name: name))
    }

    /// One field error of an `Invalid` status.
    public struct Cause: Sendable, Equatable {
        /// e.g. `FieldValueInvalid`, `FieldValueRequired`, `FieldValueNotSupported`.
        public var reason: String
        /// e.g. `Invalid value: "X": a lowercase RFC 1123 subdomain must …`.
        public var message: String
        /// The field path, e.g. `metadata.name`.
        public var field: String
        /// Creates a cause.
        public init(reason: String, message: String, field: String) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    /// 422: `ConfigMap "X" is invalid: metadata.name: Invalid value: …`.
    public static func invalid(_ resource: ResourceType, kind: String? = nil, name: String, causes: [Cause]) -> KubeStatus {
        let kind = kind ?? resource.kind
        let list = causes.map { "\($0.field): \($0.message)" }
        let text = list.count == 1 ? list[0] : "[" + list.joined(separator: ", ") + "]"
        var d = details(resource, name: name, kindOverride: kind)
        d["causes"] = .array(causes.map {
            .object(["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)])
        })
        return KubeStatus(code: 422, reason: "Invalid", message: "\(kind) \"\(name)\" is invalid: \(text)", details: d)
    }

    /// 400 with reason BadRequest.
    public static func badRequest(_ message: String) -> KubeStatus {
        KubeStatus(code: 400, reason: "BadRequest", message: message)
    }

    /// 415: a body in a media type the server does not decode.
    public static func unsupportedMediaType(_ contentType: String) -> KubeStatus {
        KubeStatus(code: 415, reason: "UnsupportedMediaType",
                   message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml")
    }

    /// 405 for a verb the resource does not serve.
    public static func methodNotAllowed(_ verb: String, _ resource: ResourceType? = nil) -> KubeStatus {
        KubeStatus(code: 405, reason: "MethodNotAllowed",
                   message: "the server does not allow this method on the requested resource",
                   details: resource.map { details($0, name: nil) })
    }

    /// 401 for requests without valid credentials.
    public static let unauthorized = KubeStatus(code: 401, reason: "Unauthorized", message: "Unauthorized")

    /// 403 from authorization, worded as kube-apiserver's RBAC denial.
    public static func forbidden(user: String, verb: String, resource: ResourceType?, resourceName: String,
                                 subresource: String?, namespace: String?, name: String?, path: String? = nil) -> KubeStatus {
        guard let resource else {
            return KubeStatus(code: 403, reason: "Forbidden",
                              message: "forbidden: User \"\(user)\" cannot \(verb) path \"\(path ?? "/")\"",
                              details: .object([:]))
        }
        let full = subresource.map { "\(resourceName)/\($0)" } ?? resourceName
        let subject = name.map { "\(resource.qualifiedName) \"\($0)\"" } ?? resource.qualifiedName
        let scope = namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
        return KubeStatus(code: 403, reason: "Forbidden",
                          message: "\(subject) is forbidden: User \"\(user)\" cannot \(verb) resource \"\(full)\" in API group \"\(resource.group)\" \(scope)",
                          details: details(resource, name: name))
    }

    /// 410: a watch or list from a revision that has been compacted away.
    public static func expired(_ message: String) -> KubeStatus {
        KubeStatus(code: 410, reason: "Expired", message: message)
    }

    /// 500 for failures of the server itself (etcd unavailable, …).
    public static func internalError(_ message: String) -> KubeStatus {
        KubeStatus(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)")
    }

    /// 504 when etcd does not answer in time.
    public static func timeout(_ message: String) -> KubeStatus {
        KubeStatus(code: 504, reason: "Timeout", message: message)
    }
}
