import Foundation

/// `ValidateServiceClusterIPsRelatedFields`, `validateUpgradeDowngradeClusterIPs` and
/// `validateUpgradeDowngradeIPFamilies`: clusterIP and clusterIPs in step, valid addresses,
/// families and policy, and what an update may change.
enum ServiceClusterIPValidation {
    /// The IP family policies, as `sets.List` sorts them.
    static let policies = ["PreferDualStack", "RequireDualStack", "SingleStack"]

    /// Whether `service` is headless: its clusterIPs are exactly `["None"]`.
    static func isHeadless(_ service: JSONValue?) -> Bool {
        clusterIPs(service) == ["None"]
    }

    /// `spec.clusterIPs` as strings.
    static func clusterIPs(_ service: JSONValue?) -> [String] {
        (service?["spec"]?["clusterIPs"]?.array ?? []).map { $0.string ?? "" }
    }

    /// `spec.ipFamilies` as strings.
    static func ipFamilies(_ service: JSONValue?) -> [String] {
        (service?["spec"]?["ipFamilies"]?.array ?? []).map { $0.string ?? "" }
    }

    private static func shownIPs(_ service: JSONValue?) -> GoValue { .raw(GoSyntax.stringSlice(service?["spec"]?["clusterIPs"])) }

    /// `ValidateServiceClusterIPsRelatedFields`.
    static func errors(_ service: JSONValue) -> [FieldError] {
        let spec = service["spec"]
        guard spec?["type"]?.string != "ExternalName" else { return [] }
        let path = FieldPath("spec")
        let ipsPath = path.child("clusterIPs")
        let clusterIP = spec?["clusterIP"]?.string ?? ""
        let ips = clusterIPs(service)
        var errors: [FieldError] = []
        if !clusterIP.isEmpty {
            if ips.isEmpty {
                errors.append(FieldError(ipsPath, .required(detail: "")))
            } else if ips[0] != clusterIP {
                errors.append(FieldError(ipsPath, .invalid(value: shownIPs(service), detail: "first value must match `clusterIP`")))
            }
        } else if !ips.isEmpty {
            errors.append(FieldError(ipsPath, .invalid(value: shownIPs(service), detail: "must be empty when `clusterIP` is not specified")))
        }
        var seen = Set<String>()
        for (index, family) in ipFamilies(service).enumerated() {
            if family != "IPv4", family != "IPv6" {
                errors.append(FieldError(path.child("ipFamilies").index(index), .notSupported(value: .string(family), supported: ["IPv4", "IPv6"])))
            }
            if !seen.insert(family).inserted {
                errors.append(FieldError(path.child("ipFamilies").index(index), .duplicate(value: .string(family))))
            }
        }
        if let policy = spec?["ipFamilyPolicy"]?.string, !policies.contains(policy) {
            errors.append(FieldError(path.child("ipFamilyPolicy"), .notSupported(value: .string(policy), supported: policies)))
        }
        var hasInvalidIPs = false
        for (index, ip) in ips.enumerated() {
            if index == 0, ip == "None" {
                if ips.count > 1 {
                    hasInvalidIPs = true
                    errors.append(FieldError(ipsPath, .invalid(value: shownIPs(service), detail: "'None' must be the first and only value")))
                }
                continue
            }
            let ipErrors = IPAddressCheck.ipErrors(ip, ipsPath.index(index))
            hasInvalidIPs = hasInvalidIPs || !ipErrors.isEmpty
            errors += ipErrors
        }
        if ips.count > 2 {
            errors.append(FieldError(ipsPath, .invalid(value: shownIPs(service), detail: "may only hold up to 2 values")))
        }
        if hasInvalidIPs { return errors }
        let dualStack = ips.contains(where: IPAddressCheck.isIPv6) && ips.contains { !IPAddressCheck.isIPv6($0) }
        if ips.count > 1, !dualStack {
            errors.append(FieldError(ipsPath, .invalid(value: shownIPs(service), detail: "may specify no more than one IP for each IP family")))
        }
        let families = ipFamilies(service)
        if !isHeadless(service), !ips.isEmpty, !families.isEmpty {
            for (index, ip) in ips.enumerated() where index < families.count {
                if families[index] == "IPv4", IPAddressCheck.isIPv6(ip) {
                    errors.append(FieldError(ipsPath.index(index), .invalid(value: .string(ip), detail: "expected an IPv4 value as indicated by `ipFamilies[\(index)]`")))
                }
                if families[index] == "IPv6", !IPAddressCheck.isIPv6(ip) {
                    errors.append(FieldError(ipsPath.index(index), .invalid(value: .string(ip), detail: "expected an IPv6 value as indicated by `ipFamilies[\(index)]`")))
                }
            }
        }
        return errors
    }

    /// `validateUpgradeDowngradeClusterIPs`: the primary cluster IP never changes; dropping the
    /// secondary needs a SingleStack policy.
    static func upgradeDowngradeErrors(_ old: JSONValue, _ service: JSONValue) -> [FieldError] {
        if service["spec"]?["type"]?.string == "ExternalName" || old["spec"]?["type"]?.string == "ExternalName" { return [] }
        if isHeadless(old) && isHeadless(service) { return [] }
        let oldIPs = clusterIPs(old), ips = clusterIPs(service)
        let first = FieldPath("spec", "clusterIPs").index(0)
        var errors: [FieldError] = []
        if oldIPs.count == ips.count {
            for (index, ip) in oldIPs.enumerated() where ip != ips[index] {
                errors.append(FieldError(FieldPath("spec", "clusterIPs").index(index), .invalid(value: shownIPs(service), detail: "may not change once set")))
            }
        } else if oldIPs.count > ips.count {
            if ips.isEmpty {
                errors.append(FieldError(first, .invalid(value: shownIPs(service), detail: "primary clusterIP can not be unset")))
            }
            if !oldIPs.isEmpty, !ips.isEmpty, ips[0] != oldIPs[0] {
                errors.append(FieldError(first, .invalid(value: shownIPs(service), detail: "may not change once set")))
            }
            if ips.count == 1, service["spec"]?["ipFamilyPolicy"]?.string != "SingleStack" {
                errors.append(FieldError(FieldPath("spec", "ipFamilyPolicy"), .invalid(value: GoValue(service["spec"]?["ipFamilyPolicy"]), detail: "must be set to 'SingleStack' when releasing the secondary clusterIP")))
            }
        } else if !oldIPs.isEmpty, ips[0] != oldIPs[0] {
            errors.append(FieldError(first, .invalid(value: shownIPs(service), detail: "may not change once set")))
        }
        return errors
    }

    /// `validateUpgradeDowngradeIPFamilies`: the primary family never changes (headless
    /// Services excepted); dropping the secondary needs a SingleStack policy.
    static func familyUpgradeDowngradeErrors(_ old: JSONValue, _ service: JSONValue) -> [FieldError] {
        if service["spec"]?["type"]?.string == "ExternalName" || old["spec"]?["type"]?.string == "ExternalName" { return [] }
        if isHeadless(old) != isHeadless(service) || isHeadless(service) { return [] }
        let oldFamilies = ipFamilies(old), families = ipFamilies(service)
        let first = FieldPath("spec", "ipFamilies").index(0)
        let shownFamilies = GoValue.raw(GoSyntax.stringSlice(service["spec"]?["ipFamilies"]).replacingOccurrences(of: "[]string", with: "[]core.IPFamily"))
        var errors: [FieldError] = []
        if oldFamilies.count == families.count {
            for (index, family) in oldFamilies.enumerated() where family != families[index] {
                errors.append(FieldError(first, .invalid(value: shownFamilies, detail: "may not change once set")))
            }
        } else if oldFamilies.count > families.count {
            if clusterIPs(service).isEmpty {
                errors.append(FieldError(first, .invalid(value: shownFamilies, detail: "primary ipFamily can not be unset")))
            }
            if !families.isEmpty, families[0] != oldFamilies[0] {
                errors.append(FieldError(first, .invalid(value: shownIPs(service), detail: "may not change once set")))
            }
            if families.count == 1, service["spec"]?["ipFamilyPolicy"]?.string != "SingleStack" {
                errors.append(FieldError(FieldPath("spec", "ipFamilyPolicy"), .invalid(value: GoValue(service["spec"]?["ipFamilyPolicy"]), detail: "must be set to 'SingleStack' when releasing the secondary ipFamily")))
            }
        } else if !oldFamilies.isEmpty, !families.isEmpty, families[0] != oldFamilies[0] {
            errors.append(FieldError(first, .invalid(value: shownIPs(service), detail: "may not change once set")))
        }
        return errors
    }
}
