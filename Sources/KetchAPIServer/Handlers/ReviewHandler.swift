import Foundation
import Hummingbird
import KubeCore

/// The create-only review resources: access reviews (`kubectl auth can-i`), self subject
/// reviews (`kubectl auth whoami`) and token reviews. Nothing is stored; the answer is computed.
struct ReviewHandler: Sendable {
    let authorizer: Authorizer
    let tokens: ServiceAccountTokenVerifier?

    /// Whether this handler serves the resource.
    static func serves(_ type: ResourceType) -> Bool {
        (type.group == "authorization.k8s.io" && ["selfsubjectaccessreviews", "subjectaccessreviews", "localsubjectaccessreviews"].contains(type.plural))
            || (type.group == "authentication.k8s.io" && ["selfsubjectreviews", "tokenreviews"].contains(type.plural))
    }

    /// Answers one review for `user`.
    func create(_ type: ResourceType, namespace: String?, user: UserInfo, body: [UInt8], contentType: String?) throws -> Response {
        var review = try RequestBodyDecoder.object(body, contentType: contentType, expect: type)
        review["apiVersion"] = .string(type.apiVersion)
        review["kind"] = .string(type.kind)
        switch type.plural {
        case "selfsubjectreviews":
            review["status"] = .object(["userInfo": Self.userJSON(user)])
        case "tokenreviews":
            let token = review["spec"]?["token"]?.string ?? ""
            if let reviewed = tokens?.verify(token, now: Date()) {
                review["status"] = .object(["authenticated": .bool(true), "user": Self.userJSON(reviewed)])
            } else {
                review["status"] = .object(["authenticated": .bool(false), "error": .string("invalid bearer token")])
            }
        default:
            let spec = review["spec"] ?? .object([:])
            var subject = user
            if type.plural != "selfsubjectaccessreviews" {
                subject = UserInfo(name: spec["user"]?.string ?? "", groups: spec["groups"]?.array?.compactMap(\.string) ?? [],
                                   uid: spec["uid"]?.string)
            }
            let attributes: RequestAttributes
            if let r = spec["resourceAttributes"], r != .null {
                let ns = type.plural == "localsubjectaccessreviews" ? namespace : r["namespace"]?.string
                attributes = RequestAttributes(
                    user: subject, verb: r["verb"]?.string ?? "", isResourceRequest: true, path: "",
                    namespace: (ns ?? "").isEmpty ? nil : ns, apiGroup: r["group"]?.string ?? "",
                    apiVersion: r["version"]?.string ?? "", resource: r["resource"]?.string ?? "",
                    subresource: (r["subresource"]?.string ?? "").isEmpty ? nil : r["subresource"]?.string,
                    name: (r["name"]?.string ?? "").isEmpty ? nil : r["name"]?.string)
            } else if let n = spec["nonResourceAttributes"], n != .null {
                attributes = RequestAttributes(user: subject, verb: n["verb"]?.string ?? "", isResourceRequest: false,
                                               path: n["path"]?.string ?? "")
            } else {
                throw KubeStatus.invalid(type, name: "", causes: [.init(reason: "FieldValueRequired",
                    message: "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified",
                    field: "spec.resourceAttributes")])
            }
            let decision = authorizer.authorize(attributes)
            var status: [String: JSONValue] = ["allowed": .bool(decision.allowed)]
            if !decision.reason.isEmpty { status["reason"] = .string(decision.reason) }
            review["status"] = .object(status)
        }
        return KubeResponses.json(review, status: .created)
    }

    static func userJSON(_ user: UserInfo) -> JSONValue {
        var u: [String: JSONValue] = ["username": .string(user.name), "groups": .array(user.groups.map(JSONValue.string))]
        if let uid = user.uid { u["uid"] = .string(uid) }
        return .object(u)
    }
}
