/// rbac validation (`pkg/apis/rbac/validation`): policy rules of Roles and ClusterRoles
/// (with a ClusterRole's aggregation rule), and the role reference and subjects of bindings,
/// whose role reference never changes.
public enum RBACValidation {
    private static let group = "rbac.authorization.k8s.io"

    /// `ValidateRole(Update)`.
    @Sendable public static func role(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        rulesErrors(object, namespaced: true)
    }

    /// `ValidateClusterRole(Update)`.
    @Sendable public static func clusterRole(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        var errors = rulesErrors(object, namespaced: false)
        if let aggregation = object["aggregationRule"], !aggregation.isNull {
            let path = FieldPath("aggregationRule", "clusterRoleSelectors")
            let selectors = aggregation["clusterRoleSelectors"]?.array ?? []
            if selectors.isEmpty {
                errors.append(FieldError(path, .required(detail: "at least one clusterRoleSelector required if aggregationRule is non-nil")))
            }
            for (index, selector) in selectors.enumerated() {
                errors += MetaV1Validation.labelSelector(selector, path: path.index(index))
            }
        }
        return errors
    }

    /// `ValidateRoleBinding(Update)`.
    @Sendable public static func roleBinding(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        bindingErrors(object, old, namespaced: true)
    }

    /// `ValidateClusterRoleBinding(Update)`.
    @Sendable public static func clusterRoleBinding(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        bindingErrors(object, old, namespaced: false)
    }

    private static func rulesErrors(_ object: JSONValue, namespaced: Bool) -> [FieldError] {
        (object["rules"]?.array ?? []).enumerated().flatMap { index, rule in
            policyRuleErrors(rule, namespaced: namespaced, path: FieldPath("rules").index(index))
        }
    }

    /// `ValidatePolicyRule`.
    static func policyRuleErrors(_ rule: JSONValue, namespaced: Bool, path: FieldPath) -> [FieldError] {
        func list(_ key: String) -> [String] { (rule[key]?.array ?? []).map { $0.string ?? "" } }
        var errors: [FieldError] = []
        if list("verbs").isEmpty {
            errors.append(FieldError(path.child("verbs"), .required(detail: "verbs must contain at least one value")))
        }
        let urls = list("nonResourceURLs")
        if !urls.isEmpty {
            if namespaced {
                errors.append(FieldError(path.child("nonResourceURLs"), .invalid(value: MetaV1Validation.goStringSlice(urls), detail: "namespaced rules cannot apply to non-resource URLs")))
            }
            if !list("apiGroups").isEmpty || !list("resources").isEmpty || !list("resourceNames").isEmpty {
                errors.append(FieldError(path.child("nonResourceURLs"), .invalid(value: MetaV1Validation.goStringSlice(urls), detail: "rules cannot apply to both regular resources and non-resource URLs")))
            }
            return errors
        }
        if list("apiGroups").isEmpty {
            errors.append(FieldError(path.child("apiGroups"), .required(detail: "resource rules must supply at least one api group")))
        }
        if list("resources").isEmpty {
            errors.append(FieldError(path.child("resources"), .required(detail: "resource rules must supply at least one resource")))
        }
        if !list("resourceNames").isEmpty, list("resources").count > 1 {
            errors.append(FieldError(path.child("resourceNames"), .required(detail: "resource names cannot apply to multiple resources")))
        }
        return errors
    }

    private static func bindingErrors(_ object: JSONValue, _ old: JSONValue?, namespaced: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let ref = object["roleRef"] ?? .object([:])
        let refGroup = ref["apiGroup"]?.string ?? ""
        if refGroup != group {
            errors.append(FieldError(FieldPath("roleRef", "apiGroup"), .notSupported(value: .string(refGroup), supported: [group])))
        }
        let kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"]
        let kind = ref["kind"]?.string ?? ""
        if !kinds.contains(kind) {
            errors.append(FieldError(FieldPath("roleRef", "kind"), .notSupported(value: .string(kind), supported: kinds)))
        }
        let name = ref["name"]?.string ?? ""
        if name.isEmpty {
            errors.append(FieldError(FieldPath("roleRef", "name"), .required(detail: "")))
        } else {
            errors += NameValidation.pathSegmentNameErrors(name).map { FieldError(FieldPath("roleRef", "name"), .invalid(value: .string(name), detail: $0)) }
        }
        for (index, subject) in (object["subjects"]?.array ?? []).enumerated() {
            errors += subjectErrors(subject, namespaced: namespaced, path: FieldPath("subjects").index(index))
        }
        if let old, roleRef(old["roleRef"]) != roleRef(ref) {
            let shown = "rbac.RoleRef{APIGroup:\(goQuoted(refGroup)), Kind:\(goQuoted(kind)), Name:\(goQuoted(name))}"
            errors.append(FieldError(FieldPath("roleRef"), .invalid(value: .raw(shown), detail: "cannot change roleRef")))
        }
        return errors
    }

    private static func roleRef(_ ref: JSONValue?) -> [String] {
        ["apiGroup", "kind", "name"].map { ref?[$0]?.string ?? "" }
    }

    /// `validateRoleBindingSubject`.
    static func subjectErrors(_ subject: JSONValue, namespaced: Bool, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let name = subject["name"]?.string ?? ""
        let apiGroup = subject["apiGroup"]?.string ?? ""
        if name.isEmpty {
            errors.append(FieldError(path.child("name"), .required(detail: "")))
        }
        switch subject["kind"]?.string ?? "" {
        case "ServiceAccount":
            if !name.isEmpty {
                errors += NameValidation.dns1123SubdomainErrors(name).map { FieldError(path.child("name"), .invalid(value: .string(name), detail: $0)) }
            }
            if !apiGroup.isEmpty {
                errors.append(FieldError(path.child("apiGroup"), .notSupported(value: .string(apiGroup), supported: [""])))
            }
            if !namespaced, (subject["namespace"]?.string ?? "").isEmpty {
                errors.append(FieldError(path.child("namespace"), .required(detail: "")))
            }
        case "User", "Group":
            let what = subject["kind"]?.string == "User" ? "user" : "group"
            if name.isEmpty {
                errors.append(FieldError(path.child("name"), .invalid(value: .string(name), detail: "\(what) name cannot be empty")))
            }
            if apiGroup != group {
                errors.append(FieldError(path.child("apiGroup"), .notSupported(value: .string(apiGroup), supported: [group])))
            }
        default:
            errors.append(FieldError(path.child("kind"), .notSupported(value: .string(subject["kind"]?.string ?? ""), supported: ["ServiceAccount", "User", "Group"])))
        }
        return errors
    }
}
