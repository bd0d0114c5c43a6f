import Foundation

/// networking validation of Ingresses (`ValidateIngressCreate`/`Update`: rules, paths,
/// backends, TLS, class) and IngressClasses (a domain-prefixed controller that never
/// changes, parameters).
public enum IngressValidation {
    private static let pathTypes = ["Exact", "ImplementationSpecific", "Prefix"]
    private static let classAnnotation = "kubernetes.io/ingress.class"

    /// The Ingress rules; `old` is the stored Ingress on update.
    @Sendable public static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        let spec = object["spec"] ?? .object([:])
        let path = FieldPath("spec")
        // Stored objects keep what was valid when they were written (allowInvalidSecretName).
        let allowInvalidSecretName = old.map { old in
            (old["spec"]?["tls"]?.array ?? []).contains { !tlsSecretNameErrors($0["secretName"]?.string ?? "").isEmpty }
        } ?? false
        var errors: [FieldError] = []
        let rules = spec["rules"]?.array
        let defaultBackend = spec["defaultBackend"].flatMap { $0.isNull ? nil : $0 }
        if (rules ?? []).isEmpty, defaultBackend == nil {
            let shown = rules == nil ? "[]networking.IngressRule(nil)" : "[]networking.IngressRule{}"
            errors.append(FieldError(path, .invalid(value: .raw(shown), detail: "either `defaultBackend` or `rules` must be specified")))
        }
        if let defaultBackend { errors += backendErrors(defaultBackend, path: path.child("defaultBackend")) }
        for (index, rule) in (rules ?? []).enumerated() {
            errors += ruleErrors(rule, path: path.child("rules").index(index))
        }
        for (index, tls) in (spec["tls"]?.array ?? []).enumerated() {
            let tlsPath = path.child("tls").index(index)
            for (hostIndex, host) in (tls["hosts"]?.array ?? []).map({ $0.string ?? "" }).enumerated() {
                let problems = host.contains("*") ? NameValidation.wildcardDNS1123SubdomainErrors(host) : NameValidation.dns1123SubdomainErrors(host)
                errors += problems.map { FieldError(tlsPath.child("hosts").index(hostIndex), .invalid(value: .string(host), detail: $0)) }
            }
            if !allowInvalidSecretName {
                let secret = tls["secretName"]?.string ?? ""
                errors += tlsSecretNameErrors(secret).map { FieldError(tlsPath.child("secretName"), .invalid(value: .string(secret), detail: $0)) }
            }
        }
        if let className = spec["ingressClassName"]?.string {
            errors += NameValidation.dns1123SubdomainErrors(className).map { FieldError(path.child("ingressClassName"), .invalid(value: .string(className), detail: $0)) }
        }
        if old == nil, let annotation = object["metadata"]?["annotations"]?[classAnnotation]?.string,
           let className = spec["ingressClassName"]?.string, annotation != className {
            errors.append(FieldError(FieldPath("annotations", classAnnotation), .invalid(value: .string(annotation), detail: "must match `ingressClassName` when both are specified")))
        }
        return errors
    }

    private static func tlsSecretNameErrors(_ name: String) -> [String] {
        name.isEmpty ? [] : NameValidation.dns1123SubdomainErrors(name)
    }

    /// `validateIngressRules` for one rule: its host, then its HTTP paths.
    private static func ruleErrors(_ rule: JSONValue, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let host = rule["host"]?.string ?? ""
        if !host.isEmpty {
            if isIPAddress(host) {
                errors.append(FieldError(path.child("host"), .invalid(value: .string(host), detail: "must be a DNS name, not an IP address")))
            }
            let problems = host.contains("*") ? NameValidation.wildcardDNS1123SubdomainErrors(host) : NameValidation.dns1123SubdomainErrors(host)
            errors += problems.map { FieldError(path.child("host"), .invalid(value: .string(host), detail: $0)) }
        }
        guard let http = rule["http"], !http.isNull else { return errors }
        let paths = http["paths"]?.array ?? []
        if paths.isEmpty { errors.append(FieldError(path.child("http", "paths"), .required(detail: ""))) }
        for (index, item) in paths.enumerated() {
            errors += httpPathErrors(item, path: path.child("http", "paths").index(index))
        }
        return errors
    }

    /// `validateHTTPIngressPath`.
    private static func httpPathErrors(_ item: JSONValue, path: FieldPath) -> [FieldError] {
        guard let pathType = item["pathType"]?.string else {
            return [FieldError(path.child("pathType"), .required(detail: "pathType must be specified"))]
        }
        var errors: [FieldError] = []
        let value = item["path"]?.string ?? ""
        switch pathType {
        case "Exact", "Prefix":
            if !value.hasPrefix("/") {
                errors.append(FieldError(path.child("path"), .invalid(value: .string(value), detail: "must be an absolute path")))
            }
            if !value.isEmpty {
                for sequence in ["//", "/./", "/../", "%2f", "%2F"] where value.contains(sequence) {
                    errors.append(FieldError(path.child("path"), .invalid(value: .string(value), detail: "must not contain '\(sequence)'")))
                }
                for suffix in ["/..", "/."] where value.hasSuffix(suffix) {
                    errors.append(FieldError(path.child("path"), .invalid(value: .string(value), detail: "cannot end with '\(suffix)'")))
                }
            }
        case "ImplementationSpecific":
            if !value.isEmpty, !value.hasPrefix("/") {
                errors.append(FieldError(path.child("path"), .invalid(value: .string(value), detail: "must be an absolute path")))
            }
        default:
            errors.append(FieldError(path.child("pathType"), .notSupported(value: .string(pathType), supported: pathTypes)))
        }
        errors += backendErrors(item["backend"] ?? .object([:]), path: path.child("backend"))
        return errors
    }

    /// `validateIngressBackend`: a service (name and one of port name or number) or a resource.
    private static func backendErrors(_ backend: JSONValue, path: FieldPath) -> [FieldError] {
        let resource = backend["resource"].flatMap { $0.isNull ? nil : $0 }
        let service = backend["service"].flatMap { $0.isNull ? nil : $0 }
        switch (resource, service) {
        case (.some, .some):
            return [FieldError(path, .invalid(value: .string(""), detail: "cannot set both resource and service backends"))]
        case (let resource?, nil):
            return typedReferenceErrors(resource, path: path.child("resource"))
        case (nil, let service?):
            var errors: [FieldError] = []
            let name = service["name"]?.string ?? ""
            if name.isEmpty {
                errors.append(FieldError(path.child("service", "name"), .required(detail: "")))
            } else {
                errors += NameValidation.dns1035LabelErrors(name).map { FieldError(path.child("service", "name"), .invalid(value: .string(name), detail: $0)) }
            }
            let portName = service["port"]?["name"]?.string ?? ""
            let portNumber = service["port"]?["number"]?.int ?? 0
            if !portName.isEmpty, portNumber != 0 {
                errors.append(FieldError(path, .invalid(value: .string(""), detail: "cannot set both port name & port number")))
            } else if !portName.isEmpty {
                errors += NameValidation.portNameErrors(portName).map { FieldError(path.child("service", "port", "name"), .invalid(value: .string(portName), detail: $0)) }
            } else if portNumber != 0 {
                errors += NameValidation.portNumberErrors(portNumber).map { FieldError(path.child("service", "port", "number"), .invalid(value: .int(portNumber), detail: $0)) }
            } else {
                errors.append(FieldError(path, .required(detail: "port name or number is required")))
            }
            return errors
        case (nil, nil):
            return [FieldError(path, .invalid(value: .string(""), detail: "resource or service backend is required"))]
        }
    }

    /// `validateIngressTypedLocalObjectReference`.
    private static func typedReferenceErrors(_ reference: JSONValue, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if let group = reference["apiGroup"]?.string {
            errors += NameValidation.dns1123SubdomainErrors(group).map { FieldError(path.child("apiGroup"), .invalid(value: .string(group), detail: $0)) }
        }
        for field in ["kind", "name"] {
            let value = reference[field]?.string ?? ""
            if value.isEmpty {
                errors.append(FieldError(path.child(field), .required(detail: "")))
            } else {
                errors += NameValidation.pathSegmentNameErrors(value).map { FieldError(path.child(field), .invalid(value: .string(value), detail: $0)) }
            }
        }
        return errors
    }

    /// The IngressClass rules; `old` is the stored class on update.
    @Sendable public static func ingressClass(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        let path = FieldPath("spec")
        let controller = object["spec"]?["controller"]?.string ?? ""
        var errors: [FieldError] = []
        if let old, controller != (old["spec"]?["controller"]?.string ?? "") {
            errors.append(FieldError(path.child("controller"), .invalid(value: .string(controller), detail: ObjectMetaValidation.immutableMessage)))
        }
        if controller.isEmpty {
            errors.append(FieldError(path.child("controller"), .required(detail: "")))
        } else {
            if controller.utf8.count > 250 { errors.append(FieldError(path.child("controller"), .tooLong(maxLength: 250))) }
            errors += domainPrefixedPathErrors(controller, path: path.child("controller"))
        }
        if let parameters = object["spec"]?["parameters"], !parameters.isNull {
            errors += parametersErrors(parameters, path: path.child("parameters"))
        }
        return errors
    }

    /// `IsDomainPrefixedPath`: `host/path`.
    private static func domainPrefixedPathErrors(_ value: String, path: FieldPath) -> [FieldError] {
        let segments = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard segments.count == 2, !segments[0].isEmpty, !segments[1].isEmpty else {
            return [FieldError(path, .invalid(value: .string(value), detail: "must be a domain-prefixed path (such as \"acme.io/foo\")"))]
        }
        var errors = NameValidation.dns1123SubdomainErrors(segments[0]).map { FieldError(path, .invalid(value: .string(segments[0]), detail: $0)) }
        let format = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+"
        if segments[1].range(of: "\\A\(format)\\z", options: .regularExpression) == nil {
            errors.append(FieldError(path, .invalid(value: .string(segments[1]), detail: "Invalid path (regex used for validation is '\(format)')")))
        }
        return errors
    }

    /// `validateIngressClassParametersReference`.
    private static func parametersErrors(_ parameters: JSONValue, path: FieldPath) -> [FieldError] {
        var errors = typedReferenceErrors(parameters, path: path)
        guard let scope = parameters["scope"]?.string else {
            errors.append(FieldError(path.child("scope"), .required(detail: "")))
            return errors
        }
        let namespace = parameters["namespace"]?.string
        switch scope {
        case "Namespace":
            if let namespace {
                errors += NameValidation.dns1123LabelErrors(namespace).map { FieldError(path.child("namespace"), .invalid(value: .string(namespace), detail: $0)) }
            } else {
                errors.append(FieldError(path.child("namespace"), .required(detail: "`parameters.scope` is set to 'Namespace'")))
            }
        case "Cluster":
            if namespace != nil {
                errors.append(FieldError(path.child("namespace"), .forbidden(detail: "`parameters.scope` is set to 'Cluster'")))
            }
        default:
            errors.append(FieldError(path.child("scope"), .notSupported(value: .string(scope), supported: ["Cluster", "Namespace"])))
        }
        return errors
    }

    private static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
