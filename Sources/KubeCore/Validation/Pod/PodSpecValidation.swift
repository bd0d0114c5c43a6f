/// `ValidatePodSpec`: a PodSpec, in a Pod or in a template, checked in upstream's order.
enum PodSpecValidation {
    /// `ValidatePodSpec`. `podName` is the pod's name for a real Pod (nil in templates);
    /// `resourceIsPod` is `PodValidationOptions.ResourceIsPod`.
    static func errors(_ spec: JSONValue, podName: String?, resourceIsPod: Bool, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let gracePeriod = spec["terminationGracePeriodSeconds"]?.int
        if !GoFields.isSet(spec["terminationGracePeriodSeconds"]) {
            errors.append(FieldError(path.child("terminationGracePeriodSeconds"), .required(detail: "")))
        }
        let hostUsers = spec["hostUsers"]?.bool != false
        let (volumes, volumeErrors) = VolumeValidation.volumes(GoFields.list(spec["volumes"]), podName: podName, path: path.child("volumes"))
        errors += volumeErrors
        let claims = GoFields.list(spec["resourceClaims"])
        let claimNames = Set(claims.map { GoFields.string($0["name"]) }.filter { !$0.isEmpty })
        errors += resourceClaims(claims, path.child("resourceClaims"))
        let restartPolicy = GoFields.string(spec["restartPolicy"])
        let context = ContainerValidation.Context(volumes: volumes, podClaims: claimNames, gracePeriod: gracePeriod,
                                                  restartPolicy: restartPolicy, hostUsers: hostUsers)
        let containers = GoFields.list(spec["containers"])
        let initContainers = GoFields.list(spec["initContainers"])
        errors += ContainerValidation.containers(containers, context, path.child("containers"))
        errors += ContainerValidation.initContainers(initContainers, regular: containers, context, path.child("initContainers"))
        errors += ContainerValidation.ephemeralContainers(GoFields.list(spec["ephemeralContainers"]), regular: containers,
                                                          initContainers: initContainers, context, path.child("ephemeralContainers"))
        errors += hostNetworkPorts(spec, resourceIsPod: resourceIsPod, path)
        switch restartPolicy {
        case "Always", "OnFailure", "Never": break
        case "": errors.append(FieldError(path.child("restartPolicy"), .required(detail: "")))
        default:
            errors.append(FieldError(path.child("restartPolicy"), .notSupported(value: .string(restartPolicy), supported: ["Always", "OnFailure", "Never"])))
        }
        let dnsPolicy = GoFields.string(spec["dnsPolicy"])
        switch dnsPolicy {
        case "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None": break
        case "": errors.append(FieldError(path.child("dnsPolicy"), .required(detail: "")))
        default:
            errors.append(FieldError(path.child("dnsPolicy"), .notSupported(value: .string(dnsPolicy), supported: ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"])))
        }
        errors += MetaValidation.labels(spec["nodeSelector"], path.child("nodeSelector"))
        errors += SecurityContextValidation.pod(spec, path.child("securityContext"))
        for (i, secret) in GoFields.list(spec["imagePullSecrets"]).enumerated() where (secret.object ?? [:]).keys.contains(where: { $0 != "name" }) {
            errors.append(FieldError(path.child("imagePullSecrets").index(i), .invalid(value: GoValue(secret), detail: "only name may be set")))
        }
        errors += SchedulingValidation.affinity(spec["affinity"], path.child("affinity"))
        errors += dnsConfig(spec["dnsConfig"], dnsPolicy: dnsPolicy, path.child("dnsConfig"))
        for (i, gate) in GoFields.list(spec["readinessGates"]).enumerated() {
            errors += MetaValidation.qualifiedName(GoFields.string(gate["conditionType"]), path.child("readinessGates").index(i).child("conditionType"))
        }
        var gates = Set<String>()
        for (i, gate) in GoFields.list(spec["schedulingGates"]).enumerated() {
            let name = GoFields.string(gate["name"])
            errors += MetaValidation.qualifiedName(name, path.child("schedulingGates").index(i))
            if !gates.insert(name).inserted { errors.append(FieldError(path.child("schedulingGates").index(i), .duplicate(value: .string(name)))) }
        }
        errors += SchedulingValidation.topologySpreadConstraints(GoFields.list(spec["topologySpreadConstraints"]), path.child("topologySpreadConstraints"))
        errors += windowsHostProcess(spec, path)
        if !hostUsers {
            for (field, shown) in [("hostNetwork", "hostNetwork"), ("hostPID", "HostPID"), ("hostIPC", "HostIPC")] where spec[field]?.bool == true {
                errors.append(FieldError(path.child(shown), .forbidden(detail: "when `pod.Spec.HostUsers` is false")))
            }
        }
        for field in ["serviceAccountName", "nodeName"] {
            let name = GoFields.string(spec[field])
            if !name.isEmpty { errors += MetaValidation.dnsSubdomain(name, path.child(field)) }
        }
        if let deadline = spec["activeDeadlineSeconds"]?.int, deadline < 1 || deadline > Int(Int32.max) {
            errors.append(FieldError(path.child("activeDeadlineSeconds"), .invalid(value: .int(deadline), detail: ValueFormats.inclusiveRange(1, Int(Int32.max)))))
        }
        for field in ["hostname", "subdomain"] {
            let name = GoFields.string(spec[field])
            if !name.isEmpty { errors += MetaValidation.dnsLabel(name, path.child(field)) }
        }
        let tolerations = GoFields.list(spec["tolerations"])
        if !tolerations.isEmpty { errors += SchedulingValidation.tolerations(tolerations, path.child("tolerations")) }
        for (i, alias) in GoFields.list(spec["hostAliases"]).enumerated() {
            let ip = GoFields.string(alias["ip"])
            if !ValueFormats.isIP(ip) {
                errors.append(FieldError(path.child("hostAliases").index(i).child("ip"), .invalid(value: .string(ip), detail: ValueFormats.invalidIPMessage)))
            }
            for (j, hostname) in GoFields.list(alias["hostnames"]).enumerated() {
                errors += MetaValidation.dnsSubdomain(GoFields.string(hostname), path.child("hostAliases").index(i).child("hostnames").index(j))
            }
        }
        let priorityClass = GoFields.string(spec["priorityClassName"])
        if !priorityClass.isEmpty { errors += MetaValidation.dnsSubdomain(priorityClass, path.child("priorityClassName")) }
        if let runtimeClass = spec["runtimeClassName"]?.string { errors += MetaValidation.dnsSubdomain(runtimeClass, path.child("runtimeClassName")) }
        if let preemption = spec["preemptionPolicy"]?.string {
            switch preemption {
            case "PreemptLowerPriority", "Never": break
            case "": errors.append(FieldError(path.child("preemptionPolicy"), .required(detail: "")))
            default:
                errors.append(FieldError(path.child("preemptionPolicy"), .notSupported(value: .string(preemption), supported: ["PreemptLowerPriority", "Never"])))
            }
        }
        if let overhead = spec["overhead"], GoFields.isSet(overhead) {
            errors += ResourceRequirementsValidation.requirements(.object(["limits": overhead]), path.child("overhead"), podClaims: claimNames)
        }
        if let os = spec["os"], GoFields.isSet(os) { errors += self.os(spec, os, path) }
        return errors
    }

    /// `validatePodResourceClaims`.
    private static func resourceClaims(_ claims: [JSONValue], _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var names = Set<String>()
        for (i, claim) in claims.enumerated() {
            let itemPath = path.index(i)
            let name = GoFields.string(claim["name"])
            if name.isEmpty {
                errors.append(FieldError(itemPath.child("name"), .required(detail: "")))
            } else if names.contains(name) {
                errors.append(FieldError(itemPath.child("name"), .duplicate(value: .string(name))))
            } else {
                errors += MetaValidation.dnsLabel(name, itemPath.child("name"))
                names.insert(name)
            }
            let claimName = claim["resourceClaimName"]?.string, templateName = claim["resourceClaimTemplateName"]?.string
            if claimName != nil, templateName != nil {
                errors.append(FieldError(itemPath, .invalid(value: GoValue(claim), detail: "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified")))
            }
            if claimName == nil, templateName == nil {
                errors.append(FieldError(itemPath, .invalid(value: GoValue(claim), detail: "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`")))
            }
            if let claimName { errors += MetaValidation.dnsSubdomain(claimName, itemPath.child("resourceClaimName")) }
            if let templateName { errors += MetaValidation.dnsSubdomain(templateName, itemPath.child("resourceClaimTemplateName")) }
        }
        return errors
    }

    /// `validatePodHostNetworkDeps`: on the host network a pod's host ports are its container
    /// ports (a template may leave them 0; they are defaulted when the pod is made).
    private static func hostNetworkPorts(_ spec: JSONValue, resourceIsPod: Bool, _ path: FieldPath) -> [FieldError] {
        guard spec["hostNetwork"]?.bool == true else { return [] }
        var errors: [FieldError] = []
        for (i, container) in GoFields.list(spec["containers"]).enumerated() {
            for (j, port) in GoFields.list(container["ports"]).enumerated() {
                let hostPort = GoFields.int(port["hostPort"]), containerPort = GoFields.int(port["containerPort"])
                if (resourceIsPod || hostPort != 0), hostPort != containerPort {
                    errors.append(FieldError(path.child("containers").index(i).child("ports").index(j).child("hostPort"),
                                             .invalid(value: .int(hostPort), detail: "must match `containerPort` when `hostNetwork` is true")))
                }
            }
        }
        return errors
    }

    /// `validatePodDNSConfig`, with 1.33's RelaxedDNSSearchValidation (beta, on).
    private static func dnsConfig(_ config: JSONValue?, dnsPolicy: String, _ path: FieldPath) -> [FieldError] {
        let configured = GoFields.isSet(config)
        if dnsPolicy == "None" {
            if !configured { return [FieldError(path, .required(detail: "must provide `dnsConfig` when `dnsPolicy` is None"))] }
            if GoFields.list(config?["nameservers"]).isEmpty {
                return [FieldError(path.child("nameservers"), .required(detail: "must provide at least one DNS nameserver when `dnsPolicy` is None"))]
            }
        }
        guard configured, let config else { return [] }
        var errors: [FieldError] = []
        let nameservers = GoFields.list(config["nameservers"])
        if nameservers.count > 3 {
            errors.append(FieldError(path.child("nameservers"), .invalid(value: GoValue(config["nameservers"]), detail: "must not have more than 3 nameservers")))
        }
        for (i, server) in nameservers.enumerated() where !ValueFormats.isIP(GoFields.string(server)) {
            errors.append(FieldError(path.child("nameservers").index(i), .invalid(value: .string(GoFields.string(server)), detail: ValueFormats.invalidIPMessage)))
        }
        let searches = GoFields.list(config["searches"]).map { GoFields.string($0) }
        if searches.count > 32 {
            errors.append(FieldError(path.child("searches"), .invalid(value: GoValue(config["searches"]), detail: "must not have more than 32 search paths")))
        }
        if searches.joined(separator: " ").utf8.count > 2048 {
            errors.append(FieldError(path.child("searches"), .invalid(value: GoValue(config["searches"]), detail: "must not have more than 2048 characters (including spaces) in the search list")))
        }
        for (i, search) in searches.enumerated() where search != "." {
            let trimmed = search.hasSuffix(".") ? String(search.dropLast()) : search
            errors += ValueFormats.dns1123SubdomainWithUnderscore(trimmed).map { FieldError(path.child("searches").index(i), .invalid(value: .string(trimmed), detail: $0)) }
        }
        for (i, option) in GoFields.list(config["options"]).enumerated() where GoFields.string(option["name"]).isEmpty {
            errors.append(FieldError(path.child("options").index(i), .required(detail: "must not be empty")))
        }
        return errors
    }

    /// Every container of the spec with its path: init, regular, then ephemeral
    /// (`podshelper.VisitContainersWithPath`).
    static func allContainers(_ spec: JSONValue, _ path: FieldPath) -> [(container: JSONValue, path: FieldPath)] {
        ["initContainers", "containers", "ephemeralContainers"].flatMap { key in
            GoFields.list(spec[key]).enumerated().map { ($0.element, path.child(key).index($0.offset)) }
        }
    }

    /// `validateWindowsHostProcessPod`.
    private static func windowsHostProcess(_ spec: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let podHostProcess = spec["securityContext"]?["windowsOptions"]?["hostProcess"]?.bool
        var containerCount = 0, hostProcessCount = 0
        for (container, containerPath) in allContainers(spec, path) {
            containerCount += 1
            let own = container["securityContext"]?["windowsOptions"]?["hostProcess"]?.bool
            if let podHostProcess, let own, podHostProcess != own {
                errors.append(FieldError(containerPath.child("securityContext", "windowsOptions", "hostProcess"),
                                         .invalid(value: .bool(own), detail: "pod hostProcess value must be identical if both are specified, was \(podHostProcess)")))
            }
            if own == true || (own == nil && podHostProcess == true) { hostProcessCount += 1 }
        }
        if hostProcessCount > 0 {
            if hostProcessCount != containerCount {
                errors.append(FieldError(path, .invalid(value: .string(""), detail: "If pod contains any hostProcess containers then all containers must be HostProcess containers")))
            }
            if spec["hostNetwork"]?.bool != true {
                errors.append(FieldError(path.child("hostNetwork"), .invalid(value: .bool(false), detail: "hostNetwork must be true if pod contains any hostProcess containers")))
            }
        }
        return errors
    }

    /// `validateOS`, then `validateLinux` / `validateWindows`.
    private static func os(_ spec: JSONValue, _ os: JSONValue, _ path: FieldPath) -> [FieldError] {
        let osPath = path.child("os")
        let name = GoFields.string(os["name"])
        if name.isEmpty { return [FieldError(osPath.child("name"), .required(detail: "cannot be empty"))] }
        if name != "linux", name != "windows" { return [FieldError(osPath, .notSupported(value: .string(name), supported: ["linux", "windows"]))] }
        var errors: [FieldError] = []
        let podContext = spec["securityContext"]
        if name == "linux" {
            if GoFields.isSet(podContext?["windowsOptions"]) {
                errors.append(FieldError(path.child("securityContext", "windowsOptions"), .forbidden(detail: "windows options cannot be set for a linux pod")))
            }
            for (container, containerPath) in allContainers(spec, path) where GoFields.isSet(container["securityContext"]?["windowsOptions"]) {
                errors.append(FieldError(containerPath.child("securityContext", "windowsOptions"), .forbidden(detail: "windows options cannot be set for a linux pod")))
            }
            return errors
        }
        let forbidden = "cannot be set for a windows pod"
        if let podContext, GoFields.isSet(podContext) {
            for field in ["appArmorProfile", "seLinuxOptions"] where GoFields.isSet(podContext[field]) {
                errors.append(FieldError(path.child("securityContext", field), .forbidden(detail: forbidden)))
            }
            if GoFields.isSet(spec["hostUsers"]) { errors.append(FieldError(path.child("hostUsers"), .forbidden(detail: forbidden))) }
            if spec["hostPID"]?.bool == true { errors.append(FieldError(path.child("hostPID"), .forbidden(detail: forbidden))) }
            if spec["hostIPC"]?.bool == true { errors.append(FieldError(path.child("hostIPC"), .forbidden(detail: forbidden))) }
            for field in ["seccompProfile", "fsGroup", "fsGroupChangePolicy"] where GoFields.isSet(podContext[field]) {
                errors.append(FieldError(path.child("securityContext", field), .forbidden(detail: forbidden)))
            }
            if !GoFields.list(podContext["sysctls"]).isEmpty { errors.append(FieldError(path.child("securityContext", "sysctls"), .forbidden(detail: forbidden))) }
            if GoFields.isSet(spec["shareProcessNamespace"]) { errors.append(FieldError(path.child("shareProcessNamespace"), .forbidden(detail: forbidden))) }
            for field in ["runAsUser", "runAsGroup", "supplementalGroups", "supplementalGroupsPolicy", "seLinuxChangePolicy"] where GoFields.isSet(podContext[field]) {
                errors.append(FieldError(path.child("securityContext", field), .forbidden(detail: forbidden)))
            }
        }
        for (container, containerPath) in allContainers(spec, path) {
            guard let context = container["securityContext"], GoFields.isSet(context) else { continue }
            for field in ["appArmorProfile", "seLinuxOptions", "seccompProfile", "capabilities", "readOnlyRootFilesystem", "privileged",
                          "allowPrivilegeEscalation", "procMount", "runAsUser", "runAsGroup"] where GoFields.isSet(context[field]) {
                errors.append(FieldError(containerPath.child("securityContext", field), .forbidden(detail: forbidden)))
            }
        }
        return errors
    }

    /// `ValidatePodSpecificAnnotations`: the mirror-pod, deletion-cost, seccomp and AppArmor
    /// annotations.
    static func annotations(_ annotations: JSONValue?, spec: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let entries = GoFields.stringMap(annotations)
        let map = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        if let mirror = map["kubernetes.io/config.mirror"], GoFields.string(spec["nodeName"]).isEmpty {
            errors.append(FieldError(path.key("kubernetes.io/config.mirror"), .invalid(value: .string(mirror), detail: "must set spec.nodeName if mirror pod annotation is set")))
        }
        if let cost = map["controller.kubernetes.io/pod-deletion-cost"], !isDeletionCost(cost) {
            errors.append(FieldError(path.key("controller.kubernetes.io/pod-deletion-cost"), .invalid(value: .string(cost), detail: "must be a 32bit integer")))
        }
        if let profile = map["seccomp.security.alpha.kubernetes.io/pod"] {
            errors += seccompAnnotation(profile, path.child("seccomp.security.alpha.kubernetes.io/pod"))
        }
        for (key, profile) in entries where key.hasPrefix("container.seccomp.security.alpha.kubernetes.io/") {
            errors += seccompAnnotation(profile, path.child(key))
        }
        let prefix = "container.apparmor.security.beta.kubernetes.io/"
        let containerNames = Set(allContainers(spec, FieldPath("spec")).map { GoFields.string($0.container["name"]) })
        for (key, profile) in entries where key.hasPrefix(prefix) {
            let containerName = String(key.dropFirst(prefix.count))
            if !containerNames.contains(containerName) {
                errors.append(FieldError(path.key(key), .invalid(value: .string(containerName), detail: "container not found")))
            }
            if !(profile.isEmpty || profile == "runtime/default" || profile == "unconfined" || profile.hasPrefix("localhost/")) {
                errors.append(FieldError(path.key(key), .invalid(value: .string(profile), detail: "invalid AppArmor profile name: \(goQuoted(profile))")))
            }
        }
        return errors
    }

    /// `GetDeletionCostFromPodAnnotations`' accepted form: a 32-bit integer, no `+`, no
    /// leading zeros.
    private static func isDeletionCost(_ value: String) -> Bool {
        guard let first = value.first else { return false }
        let validStart = first == "-" || value == "0" || ("1"..."9").contains(first)
        return validStart && Int32(value) != nil
    }

    /// `ValidateSeccompProfile` for an annotation value.
    private static func seccompAnnotation(_ profile: String, _ path: FieldPath) -> [FieldError] {
        if ["runtime/default", "docker/default", "unconfined"].contains(profile) { return [] }
        if profile.hasPrefix("localhost/") { return VolumeValidation.localDescendingPath(String(profile.dropFirst("localhost/".count)), path) }
        return [FieldError(path, .invalid(value: .string(profile), detail: "must be a valid seccomp profile"))]
    }

    /// `validateSeccompAnnotationsAndFields` and
    /// `validateAppArmorAnnotationsAndFieldsMatchOnCreate`: when both an annotation and a
    /// field give a profile, they agree.
    static func annotationsMatchFields(_ annotations: JSONValue?, spec: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let map = Dictionary(GoFields.stringMap(annotations).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        if let field = spec["securityContext"]?["seccompProfile"], GoFields.isSet(field), let annotation = map["seccomp.security.alpha.kubernetes.io/pod"] {
            errors += seccompMatch(annotation, field, path.child("securityContext", "seccompProfile"))
        }
        for (container, containerPath) in allContainers(spec, path) {
            guard let field = container["securityContext"]?["seccompProfile"], GoFields.isSet(field) else { continue }
            if let annotation = map["container.seccomp.security.alpha.kubernetes.io/" + GoFields.string(container["name"])] {
                errors += seccompMatch(annotation, field, containerPath.child("securityContext", "seccompProfile"))
            }
        }
        if GoFields.string(spec["os"]?["name"]) == "windows" { return errors }
        let podProfile = spec["securityContext"]?["appArmorProfile"]
        for (container, containerPath) in allContainers(spec, path) {
            var profile = podProfile
            if let own = container["securityContext"]?["appArmorProfile"], GoFields.isSet(own) { profile = own }
            guard let profile, GoFields.isSet(profile),
                  let annotation = map["container.apparmor.security.beta.kubernetes.io/" + GoFields.string(container["name"])] else { continue }
            let apparmorPath = containerPath.child("securityContext", "appArmorProfile")
            switch GoFields.string(profile["type"]) {
            case "Unconfined":
                if annotation != "unconfined" { errors.append(FieldError(apparmorPath.child("type"), .forbidden(detail: "apparmor type in annotation and field must match"))) }
            case "RuntimeDefault":
                if annotation != "runtime/default" { errors.append(FieldError(apparmorPath.child("type"), .forbidden(detail: "apparmor type in annotation and field must match"))) }
            case "Localhost":
                if !annotation.hasPrefix("localhost/") {
                    errors.append(FieldError(apparmorPath.child("type"), .forbidden(detail: "apparmor type in annotation and field must match")))
                } else if profile["localhostProfile"]?.string != String(annotation.dropFirst("localhost/".count)) {
                    errors.append(FieldError(apparmorPath.child("localhostProfile"), .forbidden(detail: "apparmor profile in annotation and field must match")))
                }
            default: break
            }
        }
        return errors
    }

    private static func seccompMatch(_ annotation: String, _ field: JSONValue, _ path: FieldPath) -> [FieldError] {
        switch GoFields.string(field["type"]) {
        case "Unconfined":
            if annotation != "unconfined" { return [FieldError(path.child("type"), .forbidden(detail: "seccomp type in annotation and field must match"))] }
        case "RuntimeDefault":
            if annotation != "runtime/default", annotation != "docker/default" {
                return [FieldError(path.child("type"), .forbidden(detail: "seccomp type in annotation and field must match"))]
            }
        case "Localhost":
            if !annotation.hasPrefix("localhost/") { return [FieldError(path.child("type"), .forbidden(detail: "seccomp type in annotation and field must match"))] }
            if field["localhostProfile"]?.string != String(annotation.dropFirst("localhost/".count)) {
                return [FieldError(path.child("localhostProfile"), .forbidden(detail: "seccomp profile in annotation and field must match"))]
            }
        default: break
        }
        return []
    }
}
