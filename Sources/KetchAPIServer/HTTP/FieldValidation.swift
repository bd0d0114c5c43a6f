import KubeCore

/// The `fieldValidation` directive of a create, update or patch (kubectl's
/// `--validate=strict|warn|false`): what to do with unknown and duplicate fields.
enum FieldValidation: String {
    /// Drop them silently.
    case ignore = "Ignore"
    /// Keep going, with a `Warning` header for each; kube-apiserver's default.
    case warn = "Warn"
    /// Refuse the request.
    case strict = "Strict"

    /// The directive `query` names; `options` is the options kind errors name
    /// (`CreateOptions`, `UpdateOptions`, `PatchOptions`).
    init(_ query: RequestQuery, options: String) throws {
        let given = query["fieldValidation"] ?? ""
        if given.isEmpty {
            self = .warn
            return
        }
        guard let directive = FieldValidation(rawValue: given) else {
            // `ValidateFieldValidation`: the allowed values as a sorted set lists them.
            throw KubeStatus.invalid(group: "meta.k8s.io", kind: options, name: "", errors: [
                FieldError(field: "fieldValidation", .notSupported(value: .string(given), supported: ["", "Ignore", "Strict", "Warn"])),
            ])
        }
        self = directive
    }

    /// Whether strict decoding errors are looked for at all.
    var checks: Bool { self != .ignore }

    /// Applies the directive to what strict decoding found: nothing for Ignore, warnings for
    /// Warn, and for Strict the error `refusal` builds from the errors.
    func report(_ found: StrictDecodingErrors, refusal: (StrictDecodingErrors) -> KubeStatus) throws {
        guard !found.isEmpty else { return }
        switch self {
        case .ignore:
            return
        case .warn:
            for text in found.warnings { ResponseWarnings.add(text) }
        case .strict:
            throw refusal(found)
        }
    }

    /// The 400 a create or update answers: `Deployment in version "v1" cannot be handled as a
    /// Deployment: strict decoding error: …`.
    static func decodingRefusal(_ type: ResourceType) -> (StrictDecodingErrors) -> KubeStatus {
        { found in
            KubeStatus.badRequest("\(type.kind) in version \(goQuoted(type.version)) cannot be handled as a \(type.kind): \(found.message)")
        }
    }
}
