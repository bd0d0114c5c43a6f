/// Where a pod may run: `validateAffinity`, `ValidateTolerations` and
/// `validateTopologySpreadConstraints`.
enum SchedulingValidation {
    // MARK: Affinity

    /// `validateAffinity`.
    static func affinity(_ affinity: JSONValue?, _ path: FieldPath) -> [FieldError] {
        guard let affinity, GoFields.isSet(affinity) else { return [] }
        var errors: [FieldError] = []
        if let node = affinity["nodeAffinity"], GoFields.isSet(node) {
            let nodePath = path.child("nodeAffinity")
            if let required = node["requiredDuringSchedulingIgnoredDuringExecution"], GoFields.isSet(required) {
                errors += nodeSelector(required, nodePath.child("requiredDuringSchedulingIgnoredDuringExecution"))
            }
            for (i, term) in GoFields.list(node["preferredDuringSchedulingIgnoredDuringExecution"]).enumerated() {
                let termPath = nodePath.child("preferredDuringSchedulingIgnoredDuringExecution").index(i)
                errors += weight(term, termPath)
                errors += nodeSelectorTerm(term["preference"] ?? .object([:]), checkValues: false, termPath.child("preference"))
            }
        }
        for kind in ["podAffinity", "podAntiAffinity"] {
            guard let pod = affinity[kind], GoFields.isSet(pod) else { continue }
            let podPath = path.child(kind)
            for (i, term) in GoFields.list(pod["requiredDuringSchedulingIgnoredDuringExecution"]).enumerated() {
                errors += podAffinityTerm(term, podPath.child("requiredDuringSchedulingIgnoredDuringExecution").index(i))
            }
            for (i, term) in GoFields.list(pod["preferredDuringSchedulingIgnoredDuringExecution"]).enumerated() {
                let termPath = podPath.child("preferredDuringSchedulingIgnoredDuringExecution").index(i)
                errors += weight(term, termPath)
                errors += podAffinityTerm(term["podAffinityTerm"] ?? .object([:]), termPath.child("podAffinityTerm"))
            }
        }
        return errors
    }

    private static func weight(_ term: JSONValue, _ path: FieldPath) -> [FieldError] {
        let weight = GoFields.int(term["weight"])
        return weight <= 0 || weight > 100 ? [FieldError(path.child("weight"), .invalid(value: .int(weight), detail: "must be in the range 1-100"))] : []
    }

    /// `ValidateNodeSelector`.
    static func nodeSelector(_ selector: JSONValue, _ path: FieldPath) -> [FieldError] {
        let terms = GoFields.list(selector["nodeSelectorTerms"])
        let termsPath = path.child("nodeSelectorTerms")
        if terms.isEmpty { return [FieldError(termsPath, .required(detail: "must have at least one node selector term"))] }
        return terms.enumerated().flatMap { nodeSelectorTerm($0.element, checkValues: true, termsPath.index($0.offset)) }
    }

    /// `ValidateNodeSelectorTerm`; preferred terms do not check label values.
    private static func nodeSelectorTerm(_ term: JSONValue, checkValues: Bool, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (j, requirement) in GoFields.list(term["matchExpressions"]).enumerated() {
            let reqPath = path.child("matchExpressions").index(j)
            let values = GoFields.list(requirement["values"])
            let op = GoFields.string(requirement["operator"])
            switch op {
            case "In", "NotIn":
                if values.isEmpty { errors.append(FieldError(reqPath.child("values"), .required(detail: "must be specified when `operator` is 'In' or 'NotIn'"))) }
            case "Exists", "DoesNotExist":
                if !values.isEmpty { errors.append(FieldError(reqPath.child("values"), .forbidden(detail: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))) }
            case "Gt", "Lt":
                if values.count != 1 { errors.append(FieldError(reqPath.child("values"), .required(detail: "must be specified single value when `operator` is 'Lt' or 'Gt'"))) }
            default:
                errors.append(FieldError(reqPath.child("operator"), .invalid(value: .string(op), detail: "not a valid selector operator")))
            }
            errors += MetaValidation.labelName(GoFields.string(requirement["key"]), reqPath.child("key"))
            if checkValues {
                for (k, value) in values.enumerated() {
                    let text = GoFields.string(value)
                    errors += ValueFormats.labelValue(text).map { FieldError(reqPath.child("values").index(k), .invalid(value: .string(text), detail: $0)) }
                }
            }
        }
        for (j, requirement) in GoFields.list(term["matchFields"]).enumerated() {
            let reqPath = path.child("matchFields").index(j)
            let values = GoFields.list(requirement["values"])
            let op = GoFields.string(requirement["operator"])
            if op == "In" || op == "NotIn" {
                if values.count != 1 {
                    errors.append(FieldError(reqPath.child("values"), .required(detail: "must be only one value when `operator` is 'In' or 'NotIn' for node field selector")))
                }
            } else {
                errors.append(FieldError(reqPath.child("operator"), .invalid(value: .string(op), detail: "not a valid selector operator")))
            }
            let key = GoFields.string(requirement["key"])
            if key != "metadata.name" {
                errors.append(FieldError(reqPath.child("key"), .invalid(value: .string(key), detail: "not a valid field selector key")))
            } else {
                for (k, value) in values.enumerated() {
                    errors += MetaValidation.dnsSubdomain(GoFields.string(value), reqPath.child("values").index(k))
                }
            }
        }
        return errors
    }

    /// `validatePodAffinityTerm`.
    private static func podAffinityTerm(_ term: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errors = MetaValidation.labelSelector(term["labelSelector"], path.child("labelSelector"))
        errors += MetaValidation.labelSelector(term["namespaceSelector"], path.child("namespaceSelector"))
        for namespace in GoFields.list(term["namespaces"]) {
            let name = GoFields.string(namespace)
            errors += ValueFormats.dns1123Label(name).map { FieldError(path.child("namespace"), .invalid(value: .string(name), detail: $0)) }
        }
        errors += matchLabelKeys(term, path)
        let topologyKey = GoFields.string(term["topologyKey"])
        if topologyKey.isEmpty { errors.append(FieldError(path.child("topologyKey"), .required(detail: "can not be empty"))) }
        errors += MetaValidation.labelName(topologyKey, path.child("topologyKey"))
        return errors
    }

    /// `validateMatchLabelKeysAndMismatchLabelKeys`.
    private static func matchLabelKeys(_ term: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let selector = term["labelSelector"]
        let match = GoFields.list(term["matchLabelKeys"]).map { GoFields.string($0) }
        let mismatch = GoFields.list(term["mismatchLabelKeys"]).map { GoFields.string($0) }
        for (field, keys) in [("matchLabelKeys", match), ("mismatchLabelKeys", mismatch)] where !keys.isEmpty {
            if !GoFields.isSet(selector) {
                errors.append(FieldError(path.child(field), .forbidden(detail: "must not be specified when labelSelector is not set")))
            } else {
                for (i, key) in keys.enumerated() { errors += MetaValidation.labelName(key, path.child(field).index(i)) }
            }
        }
        if GoFields.isSet(selector) {
            var indexOf: [String: Int] = [:]
            for (i, key) in match.enumerated() { indexOf[key] = i }
            var selectorKeys = Set(GoFields.stringMap(selector?["matchLabels"]).map(\.key))
            for expression in GoFields.list(selector?["matchExpressions"]) {
                let key = GoFields.string(expression["key"])
                if let i = indexOf[key], selectorKeys.contains(key) {
                    errors.append(FieldError(path.index(i), .invalid(value: .string(key), detail: "exists in both matchLabelKeys and labelSelector")))
                }
                selectorKeys.insert(key)
            }
        }
        let mismatchSet = Set(mismatch)
        for (i, key) in match.enumerated() where mismatchSet.contains(key) {
            errors.append(FieldError(path.child("matchLabelKeys").index(i), .invalid(value: .string(key), detail: "exists in both matchLabelKeys and mismatchLabelKeys")))
        }
        return errors
    }

    // MARK: Tolerations

    /// `ValidateTolerations`.
    static func tolerations(_ tolerations: [JSONValue], _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (i, toleration) in tolerations.enumerated() {
            let itemPath = path.index(i)
            let key = GoFields.string(toleration["key"])
            let op = GoFields.string(toleration["operator"])
            let value = GoFields.string(toleration["value"])
            let effect = GoFields.string(toleration["effect"])
            if !key.isEmpty { errors += MetaValidation.labelName(key, itemPath.child("key")) }
            if key.isEmpty, op != "Exists" {
                errors.append(FieldError(itemPath.child("operator"), .invalid(value: .string(op), detail: "operator must be Exists when `key` is empty, which means \"match all values and all keys\"")))
            }
            if GoFields.isSet(toleration["tolerationSeconds"]), effect != "NoExecute" {
                errors.append(FieldError(itemPath.child("effect"), .invalid(value: .string(effect), detail: "effect must be 'NoExecute' when `tolerationSeconds` is set")))
            }
            switch op {
            case "Equal", "":
                let problems = ValueFormats.labelValue(value)
                if !problems.isEmpty {
                    errors.append(FieldError(itemPath.child("operator"), .invalid(value: .string(value), detail: problems.joined(separator: ";"))))
                }
            case "Exists":
                if !value.isEmpty {
                    errors.append(FieldError(itemPath.child("operator"), .invalid(value: .string(value), detail: "value must be empty when `operator` is 'Exists'")))
                }
            default:
                errors.append(FieldError(itemPath.child("operator"), .notSupported(value: .string(op), supported: ["Equal", "Exists"])))
            }
            if !effect.isEmpty, !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(effect) {
                errors.append(FieldError(itemPath.child("effect"), .notSupported(value: .string(effect), supported: ["NoSchedule", "PreferNoSchedule", "NoExecute"])))
            }
        }
        return errors
    }

    // MARK: Topology spread

    /// `validateTopologySpreadConstraints`.
    static func topologySpreadConstraints(_ constraints: [JSONValue], _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (i, constraint) in constraints.enumerated() {
            let itemPath = path.index(i)
            let maxSkew = GoFields.int(constraint["maxSkew"])
            if maxSkew <= 0 { errors.append(FieldError(itemPath.child("maxSkew"), .invalid(value: .int(maxSkew), detail: "must be greater than zero"))) }
            let topologyKey = GoFields.string(constraint["topologyKey"])
            if topologyKey.isEmpty { errors.append(FieldError(itemPath.child("topologyKey"), .required(detail: "can not be empty"))) }
            let action = GoFields.string(constraint["whenUnsatisfiable"])
            if action != "DoNotSchedule", action != "ScheduleAnyway" {
                errors.append(FieldError(itemPath.child("whenUnsatisfiable"), .notSupported(value: .string(action), supported: ["DoNotSchedule", "ScheduleAnyway"])))
            }
            if constraints[(i + 1)...].contains(where: { GoFields.string($0["topologyKey"]) == topologyKey && GoFields.string($0["whenUnsatisfiable"]) == action }) {
                errors.append(FieldError(itemPath.child("{topologyKey, whenUnsatisfiable}"), .duplicate(value: .string("{\(topologyKey), \(action)}"))))
            }
            if let minDomains = constraint["minDomains"]?.int {
                if minDomains <= 0 { errors.append(FieldError(itemPath.child("minDomains"), .invalid(value: .int(minDomains), detail: "must be greater than zero"))) }
                if action != "DoNotSchedule" {
                    errors.append(FieldError(itemPath.child("minDomains"), .invalid(value: .int(minDomains), detail: "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not \(action)")))
                }
            }
            for field in ["nodeAffinityPolicy", "nodeTaintsPolicy"] {
                if let policy = constraint[field]?.string, policy != "Honor", policy != "Ignore" {
                    errors.append(FieldError(itemPath.child(field), .notSupported(value: .string(policy), supported: ["Honor", "Ignore"])))
                }
            }
            let keys = GoFields.list(constraint["matchLabelKeys"]).map { GoFields.string($0) }
            if !keys.isEmpty {
                let keysPath = itemPath.child("matchLabelKeys")
                let selector = constraint["labelSelector"]
                var selectorKeys = Set<String>()
                if GoFields.isSet(selector) {
                    selectorKeys.formUnion(GoFields.stringMap(selector?["matchLabels"]).map(\.key))
                    selectorKeys.formUnion(GoFields.list(selector?["matchExpressions"]).map { GoFields.string($0["key"]) })
                } else {
                    errors.append(FieldError(keysPath, .forbidden(detail: "must not be specified when labelSelector is not set")))
                }
                for (k, key) in keys.enumerated() {
                    errors += MetaValidation.labelName(key, keysPath.index(k))
                    if selectorKeys.contains(key) {
                        errors.append(FieldError(keysPath.index(k), .invalid(value: .string(key), detail: "exists in both matchLabelKeys and labelSelector")))
                    }
                }
            }
            errors += MetaValidation.labelSelector(constraint["labelSelector"], itemPath.child("labelSelector"))
        }
        return errors
    }
}
