import Foundation
import KubeCore

/// A DELETE's `meta/v1 DeleteOptions`: from the body (JSON or protobuf), as kube-apiserver's
/// delete handlers read it, or from the query when there is no body. Fields the body leaves out
/// are also taken from the query, which upstream ignores then; clients send one or the other.
struct DeleteOptions: Sendable, Equatable {
    /// `gracePeriodSeconds`; the pod strategy fills it in when absent.
    var gracePeriodSeconds: Int?
    /// `propagationPolicy`: Foreground, Background or Orphan.
    var propagationPolicy: String?
    /// The deprecated `orphanDependents`.
    var orphanDependents: Bool?
    /// `preconditions.uid`.
    var preconditionUID: String?
    /// `preconditions.resourceVersion`.
    var preconditionResourceVersion: String?
    /// `dryRun: ["All"]`.
    var dryRun = false

    /// Options with nothing set: delete now, the type's default propagation.
    init() {}

    /// Reads the options of a DELETE; 400 for a body that is neither JSON nor protobuf, or a
    /// query value of the wrong type.
    init(body: [UInt8], query: RequestQuery) throws {
        var options: JSONValue = .object([:])
        if !body.isEmpty {
            if let parsed = try? JSONValue(parsing: Data(body)) {
                options = parsed
            } else if let parsed = try? KubeProtobuf.decode(body) {
                options = parsed
            } else {
                _ = try RequestBodyDecoder.json(body, resource: BuiltinResources.pods)
            }
        }
        gracePeriodSeconds = try options["gracePeriodSeconds"]?.int ?? Self.integer(query["gracePeriodSeconds"], "gracePeriodSeconds")
        propagationPolicy = options["propagationPolicy"]?.string ?? query["propagationPolicy"]
        orphanDependents = options["orphanDependents"]?.bool ?? ListRequest.goBool(query["orphanDependents"])
        preconditionUID = options["preconditions"]?["uid"]?.string
        preconditionResourceVersion = options["preconditions"]?["resourceVersion"]?.string
        dryRun = query["dryRun"] == "All" || options["dryRun"]?.array?.contains(.string("All")) == true
    }

    private static func integer(_ text: String?, _ name: String) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text) else {
            throw KubeStatus.badRequest("\(name): strconv.ParseInt: parsing \(goQuoted(text)): invalid syntax")
        }
        return value
    }

    /// `ValidateDeleteOptions`: 422 for `DeleteOptions.meta.k8s.io` when both orphanDependents
    /// and a propagationPolicy are set, or the policy is unknown.
    func validate() throws {
        var errors: [FieldError] = []
        if orphanDependents != nil, let policy = propagationPolicy {
            errors.append(FieldError(field: "propagationPolicy", .invalid(value: .string(policy), detail: "orphanDependents and deletionPropagation cannot be both set")))
        }
        if let policy = propagationPolicy, !["Foreground", "Background", "Orphan"].contains(policy) {
            errors.append(FieldError(field: "propagationPolicy", .notSupported(value: .string(policy), supported: ["Foreground", "Background", "Orphan", "nil"])))
        }
        if !errors.isEmpty {
            throw KubeStatus.invalid(group: "meta.k8s.io", kind: "DeleteOptions", name: "", errors: errors)
        }
    }
}
