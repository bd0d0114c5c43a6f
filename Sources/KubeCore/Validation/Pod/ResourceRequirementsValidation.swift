/// `ValidateContainerResourceRequirements` and the resource-name rules of
/// `pkg/apis/core/helper` it relies on.
enum ResourceRequirementsValidation {
    private static let standardResources: Set<String> = [
        "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
        "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "resourcequotas", "services",
        "replicationcontrollers", "secrets", "configmaps", "persistentvolumeclaims", "storage", "requests.storage",
        "services.nodeports", "services.loadbalancers",
    ]
    private static let integerResources: Set<String> = [
        "pods", "resourcequotas", "services", "replicationcontrollers", "secrets", "configmaps",
        "persistentvolumeclaims", "services.nodeports", "services.loadbalancers",
    ]

    static func isHugePages(_ name: String) -> Bool { name.hasPrefix("hugepages-") }
    static func isNative(_ name: String) -> Bool { !name.contains("/") || name.contains("kubernetes.io/") }
    static func isOvercommitAllowed(_ name: String) -> Bool { isNative(name) && !isHugePages(name) }
    static func isExtended(_ name: String) -> Bool {
        if isNative(name) || name.hasPrefix("requests.") { return false }
        return ValueFormats.qualifiedName("requests." + name).isEmpty
    }
    static func isInteger(_ name: String) -> Bool { integerResources.contains(name) || isExtended(name) }

    /// `validateContainerResourceName` (via `validateResourceName`).
    static func containerResourceName(_ name: String, _ path: FieldPath) -> [FieldError] {
        var errors = ValueFormats.qualifiedName(name).map { FieldError(path, .invalid(value: .string(name), detail: $0)) }
        if errors.isEmpty, !name.contains("/"), !(standardResources.contains(name) || name.hasPrefix("hugepages-") || name.hasPrefix("requests.hugepages-")) {
            errors.append(FieldError(path, .invalid(value: .string(name), detail: "must be a standard resource type or fully qualified")))
        }
        if !name.contains("/") {
            if !(["cpu", "memory", "ephemeral-storage"].contains(name) || isHugePages(name)) {
                errors.append(FieldError(path, .invalid(value: .string(name), detail: "must be a standard resource for containers")))
            }
        } else if !isNative(name), !isExtended(name) {
            errors.append(FieldError(path, .invalid(value: .string(name), detail: "doesn't follow extended resource name standard")))
        }
        return errors
    }

    /// `ValidateResourceQuantityValue`: not negative, whole for integer resources.
    static func quantityValue(_ name: String, _ quantity: Quantity, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if quantity.nanos < 0 {
            errors.append(FieldError(path, .invalid(value: .string(quantity.description), detail: "must be greater than or equal to 0")))
        }
        if isInteger(name), !milliIsWhole(quantity) {
            errors.append(FieldError(path, .invalid(value: .raw(goSyntax(quantity)), detail: "must be an integer")))
        }
        return errors
    }

    /// `MilliValue() % 1000 == 0`, with MilliValue rounding up.
    private static func milliIsWhole(_ quantity: Quantity) -> Bool {
        var milli = quantity.nanos / 1_000_000
        if quantity.nanos % 1_000_000 > 0 { milli += 1 }
        return milli % 1000 == 0
    }

    /// How Go's `%#v` prints a `resource.Quantity` value that ParseQuantity's int64 fast path
    /// made (the usual case), which is what a field error holding a Quantity shows.
    static func goSyntax(_ quantity: Quantity) -> String {
        var value = quantity.nanos
        var scale = -9
        while value != 0, value % 10 == 0, scale < 0 {
            value /= 10
            scale += 1
        }
        return "resource.Quantity{i:resource.int64Amount{value:\(value), scale:\(scale)}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"\", Format:\"\(quantity.format.rawValue)\"}"
    }

    /// `validateResourceRequirements` for a container (or a pod's overhead as limits).
    static func requirements(_ resources: JSONValue?, _ path: FieldPath, podClaims: Set<String>) -> [FieldError] {
        var errors: [FieldError] = []
        let limitsPath = path.child("limits"), requestsPath = path.child("requests")
        var limitsCPUOrMemory = false, requestsCPUOrMemory = false, limitsHugePages = false, requestsHugePages = false
        var limits: [String: Quantity] = [:]
        for (name, raw) in GoFields.entries(resources?["limits"]) {
            let itemPath = limitsPath.key(name)
            errors += containerResourceName(name, itemPath)
            // An unparseable quantity fails decoding (400) before validation; nothing to compare.
            guard let quantity = Quantity(json: raw) else { continue }
            limits[name] = quantity
            errors += quantityValue(name, quantity, itemPath)
            if isHugePages(name) {
                limitsHugePages = true
                if let problem = hugePagesProblem(name, quantity) { errors.append(FieldError(itemPath, .invalid(value: .string(quantity.description), detail: problem))) }
            }
            if name == "cpu" || name == "memory" { limitsCPUOrMemory = true }
        }
        for (name, raw) in GoFields.entries(resources?["requests"]) {
            let itemPath = requestsPath.key(name)
            errors += containerResourceName(name, itemPath)
            guard let quantity = Quantity(json: raw) else { continue }
            errors += quantityValue(name, quantity, itemPath)
            if let limit = limits[name] {
                if quantity != limit, !isOvercommitAllowed(name) {
                    errors.append(FieldError(requestsPath, .invalid(value: .string(quantity.description), detail: "must be equal to \(name) limit of \(limit.description)")))
                } else if quantity > limit {
                    errors.append(FieldError(requestsPath, .invalid(value: .string(quantity.description), detail: "must be less than or equal to \(name) limit of \(limit.description)")))
                }
            } else if !isOvercommitAllowed(name) {
                errors.append(FieldError(limitsPath, .required(detail: "Limit must be set for non overcommitable resources")))
            }
            if isHugePages(name) {
                requestsHugePages = true
                if let problem = hugePagesProblem(name, quantity) { errors.append(FieldError(itemPath, .invalid(value: .string(quantity.description), detail: problem))) }
            }
            if name == "cpu" || name == "memory" { requestsCPUOrMemory = true }
        }
        if !limitsCPUOrMemory, !requestsCPUOrMemory, requestsHugePages || limitsHugePages {
            errors.append(FieldError(path, .forbidden(detail: "HugePages require cpu or memory")))
        }
        errors += claimNames(GoFields.list(resources?["claims"]), podClaims, path.child("claims"))
        return errors
    }

    /// `validateResourceQuantityHugePageValue`: a whole number of pages.
    private static func hugePagesProblem(_ name: String, _ quantity: Quantity) -> String? {
        let divisible: Bool
        if let pageSize = try? Quantity(parsing: String(name.dropFirst("hugepages-".count))), pageSize.nanos > 0, pageSize.isInteger {
            divisible = quantity.value % pageSize.value == 0
        } else {
            divisible = false
        }
        return divisible ? nil : "\(quantity.description) is not positive integer multiple of \(name)"
    }

    /// `validateResourceClaimNames`: each claim names an entry of `spec.resourceClaims`.
    private static func claimNames(_ claims: [JSONValue], _ podClaims: Set<String>, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var seen = Set<String>()
        for (i, claim) in claims.enumerated() {
            let name = GoFields.string(claim["name"])
            if name.isEmpty {
                errors.append(FieldError(path.index(i), .required(detail: "")))
                continue
            }
            if seen.contains(name) {
                errors.append(FieldError(path.index(i), .duplicate(value: .string(name))))
            } else {
                var key = name
                let request = GoFields.string(claim["request"])
                if !request.isEmpty {
                    errors += MetaValidation.dnsLabel(request, path.index(i).child("request"))
                    key += "/" + request
                }
                if seen.contains(key) {
                    errors.append(FieldError(path.index(i), .duplicate(value: .string(key))))
                } else if request.isEmpty, seen.contains(where: { $0.hasPrefix(name + "/") }) {
                    errors.append(FieldError(path.index(i), .duplicate(value: .string(name))))
                }
                seen.insert(key)
            }
            if !podClaims.contains(name) {
                let detail = "must be one of the names in pod.spec.resourceClaims"
                    + (podClaims.isEmpty ? " which is empty" : ": " + podClaims.sorted().joined(separator: ", "))
                // kube sets the Detail of this NotFound, which ErrorBody appends after the value.
                errors.append(FieldError(path.index(i), .notFound(value: .raw(goQuoted(name) + ": " + detail))))
            }
        }
        return errors
    }
}
