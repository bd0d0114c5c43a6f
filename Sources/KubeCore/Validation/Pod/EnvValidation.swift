/// `ValidateEnv`, `ValidateEnvFrom` and the downward API selectors they share with volumes.
enum EnvValidation {
    /// The pod fields an env var's `fieldRef` may name.
    static let envFieldPaths: Set<String> = [
        "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
        "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    ]

    /// The container resources a `resourceFieldRef` may name (plus hugepages).
    static let resourceFieldPaths: Set<String> = [
        "limits.cpu", "limits.memory", "limits.ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
    ]

    /// `ValidateEnv`, with 1.33's relaxed name rule (RelaxedEnvironmentVariableValidation is on).
    static func env(_ vars: [JSONValue], _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (i, variable) in vars.enumerated() {
            let itemPath = path.index(i)
            let name = GoFields.string(variable["name"])
            if name.isEmpty {
                errors.append(FieldError(itemPath.child("name"), .required(detail: "")))
            } else {
                errors += ValueFormats.relaxedEnvVarName(name).map { FieldError(itemPath.child("name"), .invalid(value: .string(name), detail: $0)) }
            }
            errors += valueFrom(variable, itemPath.child("valueFrom"))
        }
        return errors
    }

    /// `validateEnvVarValueFrom`: exactly one source, and not together with `value`.
    private static func valueFrom(_ variable: JSONValue, _ path: FieldPath) -> [FieldError] {
        guard let from = variable["valueFrom"], GoFields.isSet(from) else { return [] }
        var errors: [FieldError] = []
        var count = 0
        if let ref = from["fieldRef"], GoFields.isSet(ref) {
            count += 1
            errors += objectFieldSelector(ref, expressions: envFieldPaths, path.child("fieldRef"))
        }
        if let ref = from["resourceFieldRef"], GoFields.isSet(ref) {
            count += 1
            errors += resourceFieldSelector(ref, path.child("resourceFieldRef"), volume: false)
        }
        if let ref = from["configMapKeyRef"], GoFields.isSet(ref) {
            count += 1
            errors += keySelector(ref, path.child("configMapKeyRef"))
        }
        if let ref = from["secretKeyRef"], GoFields.isSet(ref) {
            count += 1
            errors += keySelector(ref, path.child("secretKeyRef"))
        }
        if count == 0 {
            errors.append(FieldError(path, .invalid(value: .string(""), detail: "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`")))
        } else if !GoFields.string(variable["value"]).isEmpty {
            errors.append(FieldError(path, .invalid(value: .string(""), detail: "may not be specified when `value` is not empty")))
        } else if count > 1 {
            errors.append(FieldError(path, .invalid(value: .string(""), detail: "may not have more than one field specified at a time")))
        }
        return errors
    }

    /// `validateObjectFieldSelector`.
    static func objectFieldSelector(_ ref: JSONValue, expressions: Set<String>, _ path: FieldPath) -> [FieldError] {
        let version = GoFields.string(ref["apiVersion"])
        if version.isEmpty { return [FieldError(path.child("apiVersion"), .required(detail: ""))] }
        let fieldPath = GoFields.string(ref["fieldPath"])
        if fieldPath.isEmpty { return [FieldError(path.child("fieldPath"), .required(detail: ""))] }
        let internalPath: String
        switch convertDownwardAPIFieldLabel(version: version, label: fieldPath) {
        case .success(let converted): internalPath = converted
        case .failure(let message):
            return [FieldError(path.child("fieldPath"), .invalid(value: .string(fieldPath), detail: "error converting fieldPath: \(message.text)"))]
        }
        if let split = splitSubscriptedPath(internalPath) {
            let (base, key) = split
            switch base {
            case "metadata.annotations": return MetaValidation.qualifiedName(key.lowercased(), path)
            case "metadata.labels": return MetaValidation.qualifiedName(key, path)
            default: return [FieldError(path, .invalid(value: .string(base), detail: "does not support subscript"))]
            }
        }
        if !expressions.contains(internalPath) {
            return [FieldError(path.child("fieldPath"), .notSupported(value: .string(internalPath), supported: expressions.sorted()))]
        }
        return []
    }

    /// A conversion failure's text.
    struct Message: Error { let text: String }

    /// `ConvertDownwardAPIFieldLabel` for v1 pods.
    private static func convertDownwardAPIFieldLabel(version: String, label: String) -> Result<String, Message> {
        if version != "v1" { return .failure(Message(text: "unsupported pod version: \(version)")) }
        if let split = splitSubscriptedPath(label) {
            let base = split.0
            return base == "metadata.annotations" || base == "metadata.labels"
                ? .success(label) : .failure(Message(text: "field label does not support subscript: \(label)"))
        }
        let supported: Set<String> = [
            "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
            "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName",
            "status.phase", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
        ]
        if supported.contains(label) { return .success(label) }
        if label == "spec.host" { return .success("spec.nodeName") }
        return .failure(Message(text: "field label not supported: \(label)"))
    }

    /// `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['app']` → (`metadata.labels`, `app`).
    private static func splitSubscriptedPath(_ path: String) -> (String, String)? {
        guard path.hasSuffix("']") else { return nil }
        let trimmed = String(path.dropLast(2))
        guard let open = trimmed.range(of: "['") else { return nil }
        let base = String(trimmed[..<open.lowerBound])
        if base.isEmpty { return nil }
        return (base, String(trimmed[open.upperBound...]))
    }

    /// `validateContainerResourceFieldSelector` (volumes also need a container name).
    static func resourceFieldSelector(_ ref: JSONValue, _ path: FieldPath, volume: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let resource = GoFields.string(ref["resource"])
        if volume, GoFields.string(ref["containerName"]).isEmpty {
            errors.append(FieldError(path.child("containerName"), .required(detail: "")))
        } else if resource.isEmpty {
            errors.append(FieldError(path.child("resource"), .required(detail: "")))
        } else if !resourceFieldPaths.contains(resource), !resource.hasPrefix("requests.hugepages-"), !resource.hasPrefix("limits.hugepages-") {
            errors.append(FieldError(path.child("resource"), .notSupported(value: .string(resource), supported: resourceFieldPaths.sorted())))
        }
        errors += divisor(resource, Quantity(json: ref["divisor"]), path)
        return errors
    }

    /// `validateContainerResourceDivisor`.
    private static func divisor(_ resource: String, _ divisor: Quantity?, _ path: FieldPath) -> [FieldError] {
        guard let divisor, divisor.nanos != 0 else { return [] }
        let text = divisor.description
        let sizes: Set<String> = ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"]
        let sizeList = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei"
        var errors: [FieldError] = []
        func fail(_ detail: String) { errors.append(FieldError(path.child("divisor"), .invalid(value: .string(resource), detail: detail))) }
        switch resource {
        case "limits.cpu", "requests.cpu":
            if !["1m", "1"].contains(text) { fail("only divisor's values 1m and 1 are supported with the cpu resource") }
        case "limits.memory", "requests.memory":
            if !sizes.contains(text) { fail("only divisor's values \(sizeList) are supported with the memory resource") }
        case "limits.ephemeral-storage", "requests.ephemeral-storage":
            if !sizes.contains(text) { fail("only divisor's values \(sizeList) are supported with the local ephemeral storage resource") }
        default: break
        }
        if resource.hasPrefix("requests.hugepages-") || resource.hasPrefix("limits.hugepages-"), !sizes.contains(text) {
            fail("only divisor's values \(sizeList) are supported with the hugepages resource")
        }
        return errors
    }

    /// `validateConfigMapKeySelector` / `validateSecretKeySelector`.
    private static func keySelector(_ ref: JSONValue, _ path: FieldPath) -> [FieldError] {
        let name = GoFields.string(ref["name"])
        var errors = ValueFormats.dns1123Subdomain(name).map { FieldError(path.child("name"), .invalid(value: .string(name), detail: $0)) }
        let key = GoFields.string(ref["key"])
        if key.isEmpty {
            errors.append(FieldError(path.child("key"), .required(detail: "")))
        } else {
            errors += ValueFormats.configMapKey(key).map { FieldError(path.child("key"), .invalid(value: .string(key), detail: $0)) }
        }
        return errors
    }

    /// `ValidateEnvFrom`.
    static func envFrom(_ sources: [JSONValue], _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (i, source) in sources.enumerated() {
            let itemPath = path.index(i)
            let prefix = GoFields.string(source["prefix"])
            if !prefix.isEmpty {
                errors += ValueFormats.relaxedEnvVarName(prefix).map { FieldError(itemPath.child("prefix"), .invalid(value: .string(prefix), detail: $0)) }
            }
            var count = 0
            for kind in ["configMapRef", "secretRef"] {
                guard let ref = source[kind], GoFields.isSet(ref) else { continue }
                count += 1
                let name = GoFields.string(ref["name"])
                if name.isEmpty {
                    errors.append(FieldError(itemPath.child(kind, "name"), .required(detail: "")))
                } else {
                    errors += ValueFormats.dns1123SubdomainPrefix(name).map { FieldError(itemPath.child(kind, "name"), .invalid(value: .string(name), detail: $0)) }
                }
            }
            if count == 0 {
                errors.append(FieldError(path, .invalid(value: .string(""), detail: "must specify one of: `configMapRef` or `secretRef`")))
            } else if count > 1 {
                errors.append(FieldError(path, .invalid(value: .string(""), detail: "may not have more than one field specified at a time")))
            }
        }
        return errors
    }
}
