/// Pod and container security contexts: `validatePodSpecSecurityContext`,
/// `ValidateSecurityContext`, seccomp and AppArmor profiles, sysctls and Windows options.
enum SecurityContextValidation {
    /// `ValidateSecurityContext` for one container. `hostUsers` is the pod's (true unless
    /// `spec.hostUsers` is false).
    static func container(_ context: JSONValue?, hostUsers: Bool, _ path: FieldPath) -> [FieldError] {
        guard let context, GoFields.isSet(context) else { return [] }
        var errors: [FieldError] = []
        // `privileged` passes: kubeadm runs kube-apiserver with --allow-privileged=true.
        for field in ["runAsUser", "runAsGroup"] {
            if let id = context[field]?.int {
                errors += ValueFormats.unixID(id).map { FieldError(path.child(field), .invalid(value: .int(id), detail: $0)) }
            }
        }
        if let procMount = context["procMount"]?.string {
            if procMount != "Default", procMount != "Unmasked" {
                errors.append(FieldError(path.child("procMount"), .notSupported(value: .string(procMount), supported: ["Default", "Unmasked"])))
            }
            if hostUsers, procMount == "Unmasked" {
                errors.append(FieldError(path.child("procMount"), .invalid(value: .string(procMount), detail: "`hostUsers` must be false to use `Unmasked`")))
            }
        }
        errors += seccompProfile(context["seccompProfile"], path.child("seccompProfile"))
        if context["allowPrivilegeEscalation"]?.bool == false {
            if context["privileged"]?.bool == true {
                errors.append(FieldError(path, .invalid(value: GoValue(context), detail: "cannot set `allowPrivilegeEscalation` to false and `privileged` to true")))
            }
            for capability in GoFields.list(context["capabilities"]?["add"]) where capability.string == "CAP_SYS_ADMIN" {
                errors.append(FieldError(path, .invalid(value: GoValue(context), detail: "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN")))
            }
        }
        errors += windowsOptions(context["windowsOptions"], path.child("windowsOptions"))
        errors += appArmorProfile(context["appArmorProfile"], path.child("appArmorProfile"))
        return errors
    }

    /// `validatePodSpecSecurityContext`. The v1 fields kube keeps in the internal
    /// PodSecurityContext (`hostPID`, `shareProcessNamespace`, …) are read from the spec but
    /// reported under `securityContext`, as upstream does.
    static func pod(_ spec: JSONValue, _ path: FieldPath) -> [FieldError] {
        // Internal PodSpecs always carry a PodSecurityContext (it holds hostNetwork and the like).
        let context = GoFields.isSet(spec["securityContext"]) ? spec["securityContext"]! : .object([:])
        var errors: [FieldError] = []
        if let group = context["fsGroup"]?.int {
            errors += ValueFormats.unixID(group).map { FieldError(path.child("fsGroup"), .invalid(value: .int(group), detail: $0)) }
        }
        for field in ["runAsUser", "runAsGroup"] {
            if let id = context[field]?.int {
                errors += ValueFormats.unixID(id).map { FieldError(path.child(field), .invalid(value: .int(id), detail: $0)) }
            }
        }
        for (i, group) in GoFields.list(context["supplementalGroups"]).enumerated() {
            let id = GoFields.int(group)
            errors += ValueFormats.unixID(id).map { FieldError(path.child("supplementalGroups").index(i), .invalid(value: .int(id), detail: $0)) }
        }
        if spec["shareProcessNamespace"]?.bool == true, spec["hostPID"]?.bool == true {
            errors.append(FieldError(path.child("shareProcessNamespace"), .invalid(value: .bool(true), detail: "ShareProcessNamespace and HostPID cannot both be enabled")))
        }
        let sysctls = GoFields.list(context["sysctls"])
        if !sysctls.isEmpty { errors += self.sysctls(sysctls, spec: spec, path.child("sysctls")) }
        if let policy = context["fsGroupChangePolicy"]?.string, policy != "OnRootMismatch", policy != "Always" {
            errors.append(FieldError(path.child("fsGroupChangePolicy"), .notSupported(value: .string(policy), supported: ["Always", "OnRootMismatch"])))
        }
        errors += seccompProfile(context["seccompProfile"], path.child("seccompProfile"))
        errors += windowsOptions(context["windowsOptions"], path.child("windowsOptions"))
        errors += appArmorProfile(context["appArmorProfile"], path.child("appArmorProfile"))
        if let policy = context["supplementalGroupsPolicy"]?.string, policy != "Merge", policy != "Strict" {
            errors.append(FieldError(path.child("supplementalGroupsPolicy"), .notSupported(value: .string(policy), supported: ["Merge", "Strict"])))
        }
        if let policy = context["seLinuxChangePolicy"]?.string, policy != "MountOption", policy != "Recursive" {
            errors.append(FieldError(path.child("seLinuxChangePolicy"), .notSupported(value: .string(policy), supported: ["MountOption", "Recursive"])))
        }
        return errors
    }

    /// `validateSysctls` and `ValidateHostSysctl`.
    private static func sysctls(_ sysctls: [JSONValue], spec: JSONValue, _ path: FieldPath) -> [FieldError] {
        let segment = "[a-z0-9]([-_a-z0-9]*[a-z0-9])?"
        let pattern = "(" + segment + "[\\./])*" + segment
        var errors: [FieldError] = []
        var names = Set<String>()
        for (i, sysctl) in sysctls.enumerated() {
            let name = GoFields.string(sysctl["name"])
            let namePath = path.index(i).child("name")
            if name.isEmpty {
                errors.append(FieldError(namePath, .required(detail: "")))
            } else if name.utf8.count > 253 || !ValueFormats.matches(name, pattern) {
                errors.append(FieldError(namePath, .invalid(value: .string(name), detail: "must have at most 253 characters and match regex ^\(pattern)$")))
            } else if names.contains(name) {
                errors.append(FieldError(namePath, .duplicate(value: .string(name))))
            }
            let normalized = name.replacingOccurrences(of: "/", with: ".")
            let isNet = normalized.hasPrefix("net.")
            let isIPC = normalized.hasPrefix("kernel.shm") || normalized.hasPrefix("kernel.msg") || normalized == "kernel.sem" || normalized.hasPrefix("fs.mqueue.")
            if spec["hostNetwork"]?.bool == true, isNet {
                errors.append(FieldError(namePath, .invalid(value: .string(name), detail: "may not be specified when 'hostNetwork' is true")))
            } else if spec["hostIPC"]?.bool == true, isIPC {
                errors.append(FieldError(namePath, .invalid(value: .string(name), detail: "may not be specified when 'hostIPC' is true")))
            }
            names.insert(name)
        }
        return errors
    }

    /// `validateSeccompProfileField`.
    static func seccompProfile(_ profile: JSONValue?, _ path: FieldPath) -> [FieldError] {
        guard let profile, GoFields.isSet(profile) else { return [] }
        var errors: [FieldError] = []
        let type = GoFields.string(profile["type"])
        switch type {
        case "Localhost", "RuntimeDefault", "Unconfined": break
        case "": errors.append(FieldError(path.child("type"), .required(detail: "type is required when seccompProfile is set")))
        default: errors.append(FieldError(path.child("type"), .notSupported(value: .string(type), supported: ["Localhost", "RuntimeDefault", "Unconfined"])))
        }
        if type == "Localhost" {
            if let local = profile["localhostProfile"]?.string {
                errors += VolumeValidation.localDescendingPath(local, path.child("localhostProfile"))
            } else {
                errors.append(FieldError(path.child("localhostProfile"), .required(detail: "must be set when seccomp type is Localhost")))
            }
        } else if GoFields.isSet(profile["localhostProfile"]) {
            errors.append(FieldError(path.child("localhostProfile"), .invalid(value: GoValue(profile), detail: "can only be set when seccomp type is Localhost")))
        }
        return errors
    }

    /// `ValidateAppArmorProfileField`.
    static func appArmorProfile(_ profile: JSONValue?, _ path: FieldPath) -> [FieldError] {
        guard let profile, GoFields.isSet(profile) else { return [] }
        let type = GoFields.string(profile["type"])
        switch type {
        case "Localhost":
            guard let local = profile["localhostProfile"]?.string else {
                return [FieldError(path.child("localhostProfile"), .required(detail: "must be set when AppArmor type is Localhost"))]
            }
            var errors: [FieldError] = []
            let trimmed = local.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed != local {
                errors.append(FieldError(path.child("localhostProfile"), .invalid(value: .string(local), detail: "must not be padded with whitespace")))
            } else if trimmed.isEmpty {
                errors.append(FieldError(path.child("localhostProfile"), .required(detail: "must be set when AppArmor type is Localhost")))
            }
            if local.utf8.count > 4095 { errors.append(FieldError(path.child("localhostProfile"), .tooLong(maxLength: 4095))) }
            return errors
        case "RuntimeDefault", "Unconfined":
            if let local = profile["localhostProfile"], GoFields.isSet(local) {
                return [FieldError(path.child("localhostProfile"), .invalid(value: GoValue(local), detail: "can only be set when AppArmor type is Localhost"))]
            }
            return []
        case "":
            return [FieldError(path.child("type"), .required(detail: "type is required when appArmorProfile is set"))]
        default:
            return [FieldError(path.child("type"), .notSupported(value: .string(type), supported: ["Localhost", "RuntimeDefault", "Unconfined"]))]
        }
    }

    /// `validateWindowsSecurityContextOptions` (the GMSA and user-name checks).
    static func windowsOptions(_ options: JSONValue?, _ path: FieldPath) -> [FieldError] {
        guard let options, GoFields.isSet(options) else { return [] }
        var errors: [FieldError] = []
        if let specName = options["gmsaCredentialSpecName"]?.string {
            errors += ValueFormats.dns1123Subdomain(specName).map { FieldError(path.child("gmsaCredentialSpecName"), .invalid(value: .string(specName), detail: $0)) }
        }
        if let credentialSpec = options["gmsaCredentialSpec"]?.string {
            if credentialSpec.isEmpty {
                errors.append(FieldError(path.child("gmsaCredentialSpec"), .invalid(value: .string(credentialSpec), detail: "gmsaCredentialSpec cannot be an empty string")))
            } else if credentialSpec.utf8.count > 64 * 1024 {
                errors.append(FieldError(path.child("gmsaCredentialSpec"), .invalid(value: .string(credentialSpec), detail: "gmsaCredentialSpec size must be under 64 KiB")))
            }
        }
        if let user = options["runAsUserName"]?.string {
            let userPath = path.child("runAsUserName")
            func fail(_ detail: String) { errors.append(FieldError(userPath, .invalid(value: .string(user), detail: detail))) }
            let parts = user.split(separator: "\\", omittingEmptySubsequences: false).map(String.init)
            if user.isEmpty {
                fail("runAsUserName cannot be an empty string")
            } else if user.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
                fail("runAsUserName cannot contain control characters")
            } else if parts.count > 2 {
                fail("runAsUserName cannot contain more than one backslash")
            } else {
                let domain = parts.count == 2 ? parts[0] : ""
                let name = parts.count == 2 ? parts[1] : parts[0]
                if domain.utf8.count >= 256 { fail("runAsUserName's Domain length must be under 256 characters") }
                let netBios = #"^[^\\/:\*\?"<>|\.][^\\/:\*\?"<>|]{0,14}$"#
                let dnsLabel = "[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
                if parts.count == 2, domain.range(of: netBios, options: .regularExpression) == nil,
                   !ValueFormats.matches(domain, dnsLabel + "(?:\\." + dnsLabel + ")*") {
                    fail("runAsUserName's Domain doesn't match the NetBios nor the DNS format")
                }
                if name.isEmpty {
                    fail("runAsUserName's User cannot be empty")
                } else if name.utf8.count > 104 {
                    fail("runAsUserName's User length must not be longer than 104 characters")
                }
                if ValueFormats.matches(name, "[\\. ]+") { fail("runAsUserName's User cannot contain only periods or spaces") }
                if name.range(of: #"["/\\:;|=,\+\*\?<>@\[\]]"#, options: .regularExpression) != nil {
                    fail(#"runAsUserName's User cannot contain the following characters: "/\:;|=,+*?<>@[]"#)
                }
            }
        }
        return errors
    }
}
