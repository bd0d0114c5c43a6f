/// `validateContainers`, `validateInitContainers`, `validateEphemeralContainers` and the
/// checks every container shares (`validateContainerCommon`).
enum ContainerValidation {
    /// What container checks need to know about the pod around them.
    struct Context {
        /// The volumes that validated, by name.
        var volumes: [String: JSONValue]
        /// `spec.resourceClaims[*].name`.
        var podClaims: Set<String>
        /// `spec.terminationGracePeriodSeconds`.
        var gracePeriod: Int?
        /// `spec.restartPolicy`.
        var restartPolicy: String
        /// False only when `spec.hostUsers` is false.
        var hostUsers: Bool
    }

    /// `validateContainers`: the regular containers.
    static func containers(_ containers: [JSONValue], _ context: Context, _ path: FieldPath) -> [FieldError] {
        if containers.isEmpty { return [FieldError(path, .required(detail: ""))] }
        var errors: [FieldError] = []
        var names = Set<String>()
        for (i, container) in containers.enumerated() {
            let itemPath = path.index(i)
            errors += common(container, context, itemPath)
            let name = GoFields.string(container["name"])
            if !names.insert(name).inserted { errors.append(FieldError(itemPath.child("name"), .duplicate(value: .string(name)))) }
            if let lifecycle = container["lifecycle"], GoFields.isSet(lifecycle) {
                errors += ProbeValidation.lifecycle(lifecycle, gracePeriod: context.gracePeriod, itemPath.child("lifecycle"))
            }
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                errors += ProbeValidation.probe(probe, container[probe], gracePeriod: context.gracePeriod, itemPath.child(probe))
            }
            if GoFields.isSet(container["restartPolicy"]) {
                errors.append(FieldError(itemPath.child("restartPolicy"), .forbidden(detail: "may not be set for non-init containers")))
            }
        }
        errors += hostPortConflicts(containers, path)
        return errors
    }

    /// `validateInitContainers`: names unique across regular and init containers; probes and
    /// hooks only for restartable (sidecar) init containers.
    static func initContainers(_ containers: [JSONValue], regular: [JSONValue], _ context: Context, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var names = Set(regular.map { GoFields.string($0["name"]) })
        for (i, container) in containers.enumerated() {
            let itemPath = path.index(i)
            errors += common(container, context, itemPath)
            var restartAlways = false
            if let policy = container["restartPolicy"]?.string {
                if policy != "Always" {
                    errors.append(FieldError(itemPath.child("restartPolicy"), .notSupported(value: .string(policy), supported: ["Always"])))
                }
                restartAlways = policy == "Always"
            }
            let name = GoFields.string(container["name"])
            if names.contains(name) {
                errors.append(FieldError(itemPath.child("name"), .duplicate(value: .string(name))))
            } else if !name.isEmpty {
                names.insert(name)
            }
            // Init containers run one by one, so each is checked alone (and always as index 0).
            errors += hostPortConflicts([container], path)
            if restartAlways {
                if let lifecycle = container["lifecycle"], GoFields.isSet(lifecycle) {
                    errors += ProbeValidation.lifecycle(lifecycle, gracePeriod: context.gracePeriod, itemPath.child("lifecycle"))
                }
                for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                    errors += ProbeValidation.probe(probe, container[probe], gracePeriod: context.gracePeriod, itemPath.child(probe))
                }
            } else {
                for field in ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"] where GoFields.isSet(container[field]) {
                    errors.append(FieldError(itemPath.child(field), .forbidden(detail: "may not be set for init containers without restartPolicy=Always")))
                }
            }
            // resizePolicy on init containers is allowed: InPlacePodVerticalScaling is on in 1.33.
        }
        return errors
    }

    /// The EphemeralContainerCommon fields, in struct order, and whether an ephemeral
    /// container may set each.
    private static let ephemeralFields: [(String, Bool)] = [
        ("name", true), ("image", true), ("command", true), ("args", true), ("workingDir", true), ("ports", false),
        ("envFrom", true), ("env", true), ("resources", false), ("resizePolicy", false), ("restartPolicy", false),
        ("volumeMounts", true), ("volumeDevices", true), ("livenessProbe", false), ("readinessProbe", false),
        ("startupProbe", false), ("lifecycle", false), ("terminationMessagePath", true),
        ("terminationMessagePolicy", true), ("imagePullPolicy", true), ("securityContext", true), ("stdin", true),
        ("stdinOnce", true), ("tty", true),
    ]

    /// `validateEphemeralContainers`.
    static func ephemeralContainers(_ containers: [JSONValue], regular: [JSONValue], initContainers: [JSONValue],
                                    _ context: Context, _ path: FieldPath) -> [FieldError] {
        guard !containers.isEmpty else { return [] }
        var errors: [FieldError] = []
        let otherNames = Set((regular + initContainers).map { GoFields.string($0["name"]) })
        var allNames = otherNames
        for (i, container) in containers.enumerated() {
            let itemPath = path.index(i)
            errors += common(container, context, itemPath)
            errors += onlyForPod(container, itemPath)
            let name = GoFields.string(container["name"])
            if !allNames.insert(name).inserted { errors.append(FieldError(itemPath.child("name"), .duplicate(value: .string(name)))) }
            let target = GoFields.string(container["targetContainerName"])
            if !target.isEmpty, !otherNames.contains(target) {
                errors.append(FieldError(itemPath.child("targetContainerName"), .notFound(value: .string(target))))
            }
            for (field, allowed) in ephemeralFields where !allowed && GoFields.isNonZero(container[field]) {
                errors.append(FieldError(itemPath.child(field), .forbidden(detail: "cannot be set for an Ephemeral Container")))
            }
            for (j, mount) in GoFields.list(container["volumeMounts"]).enumerated() {
                for field in ["subPath", "subPathExpr"] where !GoFields.string(mount[field]).isEmpty {
                    errors.append(FieldError(itemPath.child("volumeMounts").index(j).child(field), .forbidden(detail: "cannot be set for an Ephemeral Container")))
                }
            }
        }
        return errors
    }

    /// `validateContainerOnlyForPod`: a real pod's image has no surrounding whitespace.
    static func onlyForPod(_ container: JSONValue, _ path: FieldPath) -> [FieldError] {
        let image = GoFields.string(container["image"])
        return image != image.trimmingCharacters(in: .whitespacesAndNewlines)
            ? [FieldError(path.child("image"), .invalid(value: .string(image), detail: "must not have leading or trailing whitespace"))] : []
    }

    /// `validateContainerCommon`.
    private static func common(_ container: JSONValue, _ context: Context, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let name = GoFields.string(container["name"])
        if name.isEmpty {
            errors.append(FieldError(path.child("name"), .required(detail: "")))
        } else {
            errors += MetaValidation.dnsLabel(name, path.child("name"))
        }
        if GoFields.string(container["image"]).isEmpty { errors.append(FieldError(path.child("image"), .required(detail: ""))) }
        let messagePolicy = GoFields.string(container["terminationMessagePolicy"])
        switch messagePolicy {
        case "File", "FallbackToLogsOnError": break
        case "": errors.append(FieldError(path.child("terminationMessagePolicy"), .required(detail: "")))
        default:
            errors.append(FieldError(path.child("terminationMessagePolicy"), .notSupported(value: .string(messagePolicy), supported: ["File", "FallbackToLogsOnError"])))
        }
        let mounts = GoFields.list(container["volumeMounts"])
        let devices = GoFields.list(container["volumeDevices"])
        errors += ports(GoFields.list(container["ports"]), path.child("ports"))
        errors += EnvValidation.env(GoFields.list(container["env"]), path.child("env"))
        errors += EnvValidation.envFrom(GoFields.list(container["envFrom"]), path.child("envFrom"))
        errors += volumeMounts(mounts, devices: devices, context.volumes, container: container, path.child("volumeMounts"))
        errors += volumeDevices(devices, mounts: mounts, context.volumes, path.child("volumeDevices"))
        let pullPolicy = GoFields.string(container["imagePullPolicy"])
        switch pullPolicy {
        case "Always", "IfNotPresent", "Never": break
        case "": errors.append(FieldError(path.child("imagePullPolicy"), .required(detail: "")))
        default:
            errors.append(FieldError(path.child("imagePullPolicy"), .notSupported(value: .string(pullPolicy), supported: ["Always", "IfNotPresent", "Never"])))
        }
        errors += ResourceRequirementsValidation.requirements(container["resources"], path.child("resources"), podClaims: context.podClaims)
        errors += resizePolicy(GoFields.list(container["resizePolicy"]), restartPolicy: context.restartPolicy, path.child("resizePolicy"))
        errors += SecurityContextValidation.container(container["securityContext"], hostUsers: context.hostUsers, path.child("securityContext"))
        return errors
    }

    /// `validateContainerPorts`.
    static func ports(_ ports: [JSONValue], _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var names = Set<String>()
        for (i, port) in ports.enumerated() {
            let itemPath = path.index(i)
            let name = GoFields.string(port["name"])
            if !name.isEmpty {
                let problems = ValueFormats.portName(name)
                if !problems.isEmpty {
                    errors += problems.map { FieldError(itemPath.child("name"), .invalid(value: .string(name), detail: $0)) }
                } else if !names.insert(name).inserted {
                    errors.append(FieldError(itemPath.child("name"), .duplicate(value: .string(name))))
                }
            }
            let containerPort = GoFields.int(port["containerPort"])
            if containerPort == 0 {
                errors.append(FieldError(itemPath.child("containerPort"), .required(detail: "")))
            } else {
                errors += ValueFormats.portNumber(containerPort).map { FieldError(itemPath.child("containerPort"), .invalid(value: .int(containerPort), detail: $0)) }
            }
            let hostPort = GoFields.int(port["hostPort"])
            if hostPort != 0 {
                errors += ValueFormats.portNumber(hostPort).map { FieldError(itemPath.child("hostPort"), .invalid(value: .int(hostPort), detail: $0)) }
            }
            let proto = GoFields.string(port["protocol"])
            if proto.isEmpty {
                errors.append(FieldError(itemPath.child("protocol"), .required(detail: "")))
            } else if !["SCTP", "TCP", "UDP"].contains(proto) {
                errors.append(FieldError(itemPath.child("protocol"), .notSupported(value: .string(proto), supported: ["SCTP", "TCP", "UDP"])))
            }
        }
        return errors
    }

    /// `checkHostPortConflicts`: one protocol/hostIP/hostPort per pod (per init container).
    private static func hostPortConflicts(_ containers: [JSONValue], _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var seen = Set<String>()
        for (ci, container) in containers.enumerated() {
            for (pi, port) in GoFields.list(container["ports"]).enumerated() {
                let hostPort = GoFields.int(port["hostPort"])
                if hostPort == 0 { continue }
                let key = "\(GoFields.string(port["protocol"]))/\(GoFields.string(port["hostIP"]))/\(hostPort)"
                if !seen.insert(key).inserted {
                    errors.append(FieldError(path.index(ci).child("ports").index(pi).child("hostPort"), .duplicate(value: .string(key))))
                }
            }
        }
        return errors
    }

    /// `ValidateVolumeMounts`. Some checks report on the list's path, not the item's, as upstream.
    private static func volumeMounts(_ mounts: [JSONValue], devices: [JSONValue], _ volumes: [String: JSONValue],
                                     container: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var mountPoints = Set<String>()
        let devicePaths = Dictionary(devices.map { (GoFields.string($0["name"]), GoFields.string($0["devicePath"])) }, uniquingKeysWith: { $1 })
        for (i, mount) in mounts.enumerated() {
            let itemPath = path.index(i)
            let name = GoFields.string(mount["name"])
            let mountPath = GoFields.string(mount["mountPath"])
            if name.isEmpty { errors.append(FieldError(itemPath.child("name"), .required(detail: ""))) }
            if volumes[name] == nil { errors.append(FieldError(itemPath.child("name"), .notFound(value: .string(name)))) }
            if mountPath.isEmpty { errors.append(FieldError(itemPath.child("mountPath"), .required(detail: ""))) }
            if mountPoints.contains(mountPath) {
                errors.append(FieldError(itemPath.child("mountPath"), .invalid(value: .string(mountPath), detail: "must be unique")))
            }
            mountPoints.insert(mountPath)
            if devicePaths[name] != nil {
                errors.append(FieldError(itemPath.child("name"), .invalid(value: .string(name), detail: "must not already exist in volumeDevices")))
            }
            if devicePaths.values.contains(mountPath) {
                errors.append(FieldError(itemPath.child("mountPath"), .invalid(value: .string(mountPath), detail: "must not already exist as a path in volumeDevices")))
            }
            let subPath = GoFields.string(mount["subPath"])
            let subPathExpr = GoFields.string(mount["subPathExpr"])
            if let volume = volumes[name], GoFields.isSet(volume["image"]) {
                if !subPath.isEmpty { errors.append(FieldError(itemPath.child("subPath"), .invalid(value: .string(subPath), detail: "not allowed in image volume sources"))) }
                if !subPathExpr.isEmpty { errors.append(FieldError(itemPath.child("subPathExpr"), .invalid(value: .string(subPathExpr), detail: "not allowed in image volume sources"))) }
            }
            if !subPath.isEmpty { errors += VolumeValidation.localDescendingPath(subPath, path.child("subPath")) }
            if !subPathExpr.isEmpty {
                if !subPath.isEmpty {
                    errors.append(FieldError(itemPath.child("subPathExpr"), .invalid(value: .string(subPathExpr), detail: "subPathExpr and subPath are mutually exclusive")))
                }
                errors += VolumeValidation.localDescendingPath(subPathExpr, path.child("subPathExpr"))
            }
            let propagation = mount["mountPropagation"]?.string
            if let propagation {
                let supported = ["Bidirectional", "HostToContainer", "None"]
                if !supported.contains(propagation) {
                    errors.append(FieldError(path.child("mountPropagation"), .notSupported(value: .string(propagation), supported: supported)))
                }
                if propagation == "Bidirectional", container["securityContext"]?["privileged"]?.bool != true {
                    errors.append(FieldError(path.child("mountPropagation"), .forbidden(detail: "Bidirectional mount propagation is available only to privileged containers")))
                }
            }
            if let recursive = mount["recursiveReadOnly"]?.string {
                let rroPath = path.child("recursiveReadOnly")
                switch recursive {
                case "Disabled": break
                case "Enabled", "IfPossible":
                    if mount["readOnly"]?.bool != true { errors.append(FieldError(rroPath, .forbidden(detail: "may only be specified when readOnly is true"))) }
                    if let propagation, propagation != "None" {
                        errors.append(FieldError(rroPath, .forbidden(detail: "may only be specified when mountPropagation is None or not specified")))
                    }
                default:
                    errors.append(FieldError(rroPath, .notSupported(value: .string(recursive), supported: ["Disabled", "Enabled", "IfPossible"])))
                }
            }
        }
        return errors
    }

    /// `ValidateVolumeDevices`: block devices come from claims (or generic ephemeral volumes).
    private static func volumeDevices(_ devices: [JSONValue], mounts: [JSONValue], _ volumes: [String: JSONValue], _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var devicePaths = Set<String>(), deviceNames = Set<String>()
        let mountPaths = Dictionary(mounts.map { (GoFields.string($0["name"]), GoFields.string($0["mountPath"])) }, uniquingKeysWith: { $1 })
        for (i, device) in devices.enumerated() {
            let itemPath = path.index(i)
            let name = GoFields.string(device["name"])
            let devicePath = GoFields.string(device["devicePath"])
            let volume = volumes[name]
            let isClaim = volume.map { GoFields.isSet($0["persistentVolumeClaim"]) || GoFields.isSet($0["ephemeral"]) } ?? false
            if name.isEmpty { errors.append(FieldError(itemPath.child("name"), .required(detail: ""))) }
            if deviceNames.contains(name) { errors.append(FieldError(itemPath.child("name"), .invalid(value: .string(name), detail: "must be unique"))) }
            if volume != nil, !isClaim {
                errors.append(FieldError(itemPath.child("name"), .invalid(value: .string(name), detail: "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode")))
            }
            if volume == nil { errors.append(FieldError(itemPath.child("name"), .notFound(value: .string(name)))) }
            if devicePath.isEmpty { errors.append(FieldError(itemPath.child("devicePath"), .required(detail: ""))) }
            if devicePaths.contains(devicePath) {
                errors.append(FieldError(itemPath.child("devicePath"), .invalid(value: .string(devicePath), detail: "must be unique")))
            }
            if !devicePath.isEmpty, devicePath.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
                errors.append(FieldError(itemPath.child("devicePath"), .invalid(value: .string(devicePath), detail: "can not contain backsteps ('..')")))
            } else {
                devicePaths.insert(devicePath)
            }
            if mountPaths[name] != nil {
                errors.append(FieldError(itemPath.child("name"), .invalid(value: .string(name), detail: "must not already exist in volumeMounts")))
            }
            if mountPaths.values.contains(devicePath) {
                errors.append(FieldError(itemPath.child("devicePath"), .invalid(value: .string(devicePath), detail: "must not already exist as a path in volumeMounts")))
            }
            if !name.isEmpty { deviceNames.insert(name) }
        }
        return errors
    }

    /// `validateResizePolicy`.
    private static func resizePolicy(_ policies: [JSONValue], restartPolicy: String, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var seen = Set<String>()
        for (i, policy) in policies.enumerated() {
            let resource = GoFields.string(policy["resourceName"])
            if !seen.insert(resource).inserted { errors.append(FieldError(path.index(i), .duplicate(value: .string(resource)))) }
            switch resource {
            case "cpu", "memory": break
            case "": errors.append(FieldError(path, .required(detail: "")))
            default: errors.append(FieldError(path, .notSupported(value: .string(resource), supported: ["cpu", "memory"])))
            }
            let restart = GoFields.string(policy["restartPolicy"])
            switch restart {
            case "NotRequired", "RestartContainer": break
            case "": errors.append(FieldError(path, .required(detail: "")))
            default: errors.append(FieldError(path, .notSupported(value: .string(restart), supported: ["NotRequired", "RestartContainer"])))
            }
            if restartPolicy == "Never", restart != "NotRequired" {
                errors.append(FieldError(path, .invalid(value: .string(restart), detail: "must be 'NotRequired' when `restartPolicy` is 'Never'")))
            }
        }
        return errors
    }
}
