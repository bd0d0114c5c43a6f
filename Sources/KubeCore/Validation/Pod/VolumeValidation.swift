/// `ValidateVolumes` and `validateVolumeSource` with the checks of each volume source
/// (pkg/apis/core/validation/validation.go).
enum VolumeValidation {
    /// The volume source members in the order kube checks them, with the path each one's own
    /// checks report under (upstream uses a few odd ones: `persistentDisk`, `cephfs`) and the
    /// path of its "more than 1 volume type" error (`downwarAPI`, sic).
    private static let sources: [(key: String, checksPath: String, forbiddenPath: String)] = [
        ("emptyDir", "emptyDir", "emptyDir"), ("hostPath", "hostPath", "hostPath"), ("gitRepo", "gitRepo", "gitRepo"),
        ("gcePersistentDisk", "persistentDisk", "gcePersistentDisk"),
        ("awsElasticBlockStore", "awsElasticBlockStore", "awsElasticBlockStore"), ("secret", "secret", "secret"),
        ("nfs", "nfs", "nfs"), ("iscsi", "iscsi", "iscsi"), ("glusterfs", "glusterfs", "glusterfs"),
        ("flocker", "flocker", "flocker"), ("persistentVolumeClaim", "persistentVolumeClaim", "persistentVolumeClaim"),
        ("rbd", "rbd", "rbd"), ("cinder", "cinder", "cinder"), ("cephfs", "cephfs", "cephFS"),
        ("quobyte", "quobyte", "quobyte"), ("downwardAPI", "downwardAPI", "downwarAPI"), ("fc", "fc", "fc"),
        ("flexVolume", "flexVolume", "flexVolume"), ("configMap", "configMap", "configMap"),
        ("azureFile", "azureFile", "azureFile"), ("vsphereVolume", "vsphereVolume", "vsphereVolume"),
        ("photonPersistentDisk", "photonPersistentDisk", "photonPersistentDisk"),
        ("portworxVolume", "portworxVolume", "portworxVolume"), ("azureDisk", "azureDisk", "azureDisk"),
        ("storageos", "storageos", "storageos"), ("projected", "projected", "projected"),
        ("scaleIO", "scaleIO", "scaleIO"), ("csi", "csi", "csi"), ("ephemeral", "ephemeral", "ephemeral"),
        ("image", "image", "image"),
    ]

    static let fileModeErrorMsg = "must be a number between 0 and 0777 (octal), both inclusive"

    /// `ValidateVolumes`: the volumes that passed (by name) and every error. `podName` is set
    /// for a real pod (not a template): generic ephemeral volumes' claim names derive from it.
    static func volumes(_ list: [JSONValue], podName: String?, path: FieldPath) -> (volumes: [String: JSONValue], errors: [FieldError]) {
        var errors: [FieldError] = []
        var names = Set<String>()
        var accepted: [String: JSONValue] = [:]
        var createdClaims = Set<String>()
        if let podName, !podName.isEmpty {
            for volume in list where GoFields.isSet(volume["ephemeral"]) {
                createdClaims.insert(podName + "-" + GoFields.string(volume["name"]))
            }
        }
        for (i, volume) in list.enumerated() {
            let volumePath = path.index(i)
            let name = GoFields.string(volume["name"])
            var own = source(volume, volumePath, name: name, podName: podName)
            if name.isEmpty {
                own.append(FieldError(volumePath.child("name"), .required(detail: "")))
            } else {
                own += MetaValidation.dnsLabel(name, volumePath.child("name"))
            }
            if names.contains(name) { own.append(FieldError(volumePath.child("name"), .duplicate(value: .string(name)))) }
            if own.isEmpty {
                names.insert(name)
                accepted[name] = volume
            } else {
                errors += own
            }
            if let claim = volume["persistentVolumeClaim"], createdClaims.contains(GoFields.string(claim["claimName"])) {
                errors.append(FieldError(volumePath.child("persistentVolumeClaim", "claimName"),
                                         .invalid(value: .string(GoFields.string(claim["claimName"])), detail: "must not reference a PVC that gets created for an ephemeral volume")))
            }
        }
        return (accepted, errors)
    }

    /// `validateVolumeSource`: exactly one source, and that source's own checks.
    static func source(_ volume: JSONValue, _ path: FieldPath, name: String, podName: String?) -> [FieldError] {
        var errors: [FieldError] = []
        var count = 0
        for (key, checksPath, forbiddenPath) in sources where GoFields.isSet(volume[key]) {
            let value = volume[key] ?? .null
            if key == "emptyDir" {
                count += 1
                if let limit = Quantity(json: value["sizeLimit"]), limit.nanos < 0 {
                    errors.append(FieldError(path.child("emptyDir", "sizeLimit"), .forbidden(detail: "SizeLimit field must be a valid resource quantity")))
                }
                continue
            }
            if count > 0 {
                errors.append(FieldError(path.child(forbiddenPath), .forbidden(detail: "may not specify more than 1 volume type")))
                continue
            }
            count += 1
            errors += checks(key, value, path.child(checksPath))
            if key == "iscsi", GoFields.isSet(value["initiatorName"]),
               (name + ":" + GoFields.string(value["targetPortal"])).utf8.count > 64 {
                errors.append(FieldError(path.child("name"), .invalid(value: .string(name), detail: "Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.")))
            }
            if key == "ephemeral", let podName, !podName.isEmpty, !name.isEmpty {
                let claimName = podName + "-" + name
                for message in ValueFormats.dns1123Subdomain(claimName) {
                    errors.append(FieldError(path.child("name"), .invalid(value: .string(name), detail: "PVC name \(goQuoted(claimName)): \(message)")))
                }
            }
        }
        if count == 0 { errors.append(FieldError(path, .required(detail: "must specify a volume type"))) }
        return errors
    }

    /// Each source's own checks.
    private static func checks(_ key: String, _ source: JSONValue, _ path: FieldPath) -> [FieldError] {
        func required(_ fields: String...) -> [FieldError] {
            fields.filter { GoFields.string(source[$0]).isEmpty }.map { FieldError(path.child($0), .required(detail: "")) }
        }
        switch key {
        case "hostPath": return hostPath(source, path)
        case "gitRepo":
            return required("repository") + localDescendingPath(GoFields.string(source["directory"]), path.child("directory"))
        case "gcePersistentDisk": return required("pdName") + partition(source, path)
        case "awsElasticBlockStore": return required("volumeID") + partition(source, path)
        case "secret":
            return required("secretName") + mode(source["defaultMode"], path.child("defaultMode")) + keyToPaths(source, path)
        case "configMap":
            return required("name") + mode(source["defaultMode"], path.child("defaultMode")) + keyToPaths(source, path)
        case "nfs":
            var errors = required("server", "path")
            let target = GoFields.string(source["path"])
            if !target.hasPrefix("/") { errors.append(FieldError(path.child("path"), .invalid(value: .string(target), detail: "must be an absolute path"))) }
            return errors
        case "iscsi": return iscsi(source, path)
        case "glusterfs":
            return (GoFields.string(source["endpoints"]).isEmpty ? [FieldError(path.child("endpoints"), .required(detail: ""))] : []) + required("path")
        case "flocker": return flocker(source, path)
        case "persistentVolumeClaim": return required("claimName")
        case "rbd":
            return (GoFields.list(source["monitors"]).isEmpty ? [FieldError(path.child("monitors"), .required(detail: ""))] : []) + required("image")
        case "cinder":
            var errors = required("volumeID")
            if let ref = source["secretRef"], GoFields.isSet(ref), GoFields.string(ref["name"]).isEmpty {
                errors.append(FieldError(path.child("secretRef", "name"), .required(detail: "")))
            }
            return errors
        case "cephfs":
            return GoFields.list(source["monitors"]).isEmpty ? [FieldError(path.child("monitors"), .required(detail: ""))] : []
        case "quobyte": return quobyte(source, path)
        case "downwardAPI":
            var errors = mode(source["defaultMode"], path.child("defaultMode"))
            for item in GoFields.list(source["items"]) { errors += downwardAPIFile(item, path) }
            return errors
        case "fc": return fc(source, path)
        case "flexVolume":
            var errors = required("driver")
            for (option, _) in GoFields.entries(source["options"]) {
                let namespace = option.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).count == 2
                    ? String(option.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]) : option
                let normalized = "." + namespace.lowercased()
                if normalized.hasSuffix(".kubernetes.io") || normalized.hasSuffix(".k8s.io") {
                    errors.append(FieldError(path.child("options").key(option), .invalid(value: .string(option), detail: "kubernetes.io and k8s.io namespaces are reserved")))
                }
            }
            return errors
        case "azureFile": return required("secretName", "shareName")
        case "vsphereVolume": return required("volumePath")
        case "photonPersistentDisk": return required("pdID")
        case "portworxVolume": return required("volumeID")
        case "azureDisk": return azureDisk(source, path)
        case "storageos": return storageOS(source, path)
        case "projected": return projected(source, path)
        case "scaleIO": return required("gateway", "system", "volumeName")
        case "csi": return csiDriverName(GoFields.string(source["driver"]), path.child("driver")) + csiSecret(source, path)
        case "ephemeral": return ephemeral(source, path)
        default: return []
        }
    }

    private static func hostPath(_ source: JSONValue, _ path: FieldPath) -> [FieldError] {
        let target = GoFields.string(source["path"])
        if target.isEmpty { return [FieldError(path.child("path"), .required(detail: ""))] }
        var errors = pathNoBacksteps(target, path.child("path"))
        let supported = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]
        if let type = source["type"]?.string, !supported.contains(type) {
            errors.append(FieldError(path.child("type"), .notSupported(value: .string(type), supported: supported)))
        }
        return errors
    }

    private static func partition(_ source: JSONValue, _ path: FieldPath) -> [FieldError] {
        let value = GoFields.int(source["partition"])
        return value < 0 || value > 255 ? [FieldError(path.child("partition"), .invalid(value: .int(value), detail: ValueFormats.inclusiveRange(1, 255)))] : []
    }

    /// A file mode: 0 through 0777.
    static func mode(_ value: JSONValue?, _ path: FieldPath) -> [FieldError] {
        guard let mode = value?.int else { return [] }
        return mode > 0o777 || mode < 0 ? [FieldError(path, .invalid(value: .int(mode), detail: fileModeErrorMsg))] : []
    }

    private static func keyToPaths(_ source: JSONValue, _ path: FieldPath) -> [FieldError] {
        GoFields.list(source["items"]).enumerated().flatMap { keyToPath($0.element, path.child("items").index($0.offset)) }
    }

    /// `validateKeyToPath`.
    static func keyToPath(_ item: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if GoFields.string(item["key"]).isEmpty { errors.append(FieldError(path.child("key"), .required(detail: ""))) }
        let target = GoFields.string(item["path"])
        if target.isEmpty { errors.append(FieldError(path.child("path"), .required(detail: ""))) }
        errors += localNonReservedPath(target, path.child("path"))
        errors += mode(item["mode"], path.child("mode"))
        return errors
    }

    /// `validateLocalDescendingPath`: relative, no `..` element.
    static func localDescendingPath(_ target: String, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if target.hasPrefix("/") { errors.append(FieldError(path, .invalid(value: .string(target), detail: "must be a relative path"))) }
        return errors + pathNoBacksteps(target, path)
    }

    /// `validatePathNoBacksteps`.
    static func pathNoBacksteps(_ target: String, _ path: FieldPath) -> [FieldError] {
        target.split(separator: "/", omittingEmptySubsequences: false).contains("..")
            ? [FieldError(path, .invalid(value: .string(target), detail: "must not contain '..'"))] : []
    }

    /// `ValidateLocalNonReservedPath`.
    static func localNonReservedPath(_ target: String, _ path: FieldPath) -> [FieldError] {
        var errors = localDescendingPath(target, path)
        if target.hasPrefix(".."), !target.hasPrefix("../") {
            errors.append(FieldError(path, .invalid(value: .string(target), detail: "must not start with '..'")))
        }
        return errors
    }

    private static func iscsi(_ source: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if GoFields.string(source["targetPortal"]).isEmpty { errors.append(FieldError(path.child("targetPortal"), .required(detail: ""))) }
        let iqn = GoFields.string(source["iqn"])
        if iqn.isEmpty {
            errors.append(FieldError(path.child("iqn"), .required(detail: "")))
        } else if !iqn.hasPrefix("iqn"), !iqn.hasPrefix("eui"), !iqn.hasPrefix("naa") {
            errors.append(FieldError(path.child("iqn"), .invalid(value: .string(iqn), detail: "must be valid format starting with iqn, eui, or naa")))
        } else if !iscsiNameWellFormed(iqn) {
            errors.append(FieldError(path.child("iqn"), .invalid(value: .string(iqn), detail: "must be valid format")))
        }
        let lun = GoFields.int(source["lun"])
        if lun < 0 || lun > 255 { errors.append(FieldError(path.child("lun"), .invalid(value: .int(lun), detail: ValueFormats.inclusiveRange(0, 255)))) }
        if (source["chapAuthDiscovery"]?.bool == true || source["chapAuthSession"]?.bool == true), !GoFields.isSet(source["secretRef"]) {
            errors.append(FieldError(path.child("secretRef"), .required(detail: "")))
        }
        if let initiator = source["initiatorName"]?.string {
            if !initiator.hasPrefix("iqn"), !initiator.hasPrefix("eui"), !initiator.hasPrefix("naa") {
                errors.append(FieldError(path.child("initiatorname"), .invalid(value: .string(initiator), detail: "must be valid format starting with iqn, eui, or naa")))
            }
            if !iscsiNameWellFormed(initiator) {
                errors.append(FieldError(path.child("initiatorname"), .invalid(value: .string(initiator), detail: "must be valid format")))
            }
        }
        return errors
    }

    /// The iqn/eui/naa name patterns (only checked for the prefix the name has).
    private static func iscsiNameWellFormed(_ name: String) -> Bool {
        if name.hasPrefix("iqn") { return name.range(of: #"iqn\.\d{4}-\d{2}\.([[:alnum:]-.]+)(:[^,;*&$|\s]+)$"#, options: .regularExpression) != nil }
        if name.hasPrefix("eui") { return name.range(of: "^eui.[[:alnum:]]{16}$", options: .regularExpression) != nil }
        if name.hasPrefix("naa") { return name.range(of: "^naa.[[:alnum:]]{32}$", options: .regularExpression) != nil }
        return true
    }

    private static func flocker(_ source: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let name = GoFields.string(source["datasetName"]), uuid = GoFields.string(source["datasetUUID"])
        if name.isEmpty, uuid.isEmpty { errors.append(FieldError(path, .required(detail: "one of datasetName and datasetUUID is required"))) }
        if !name.isEmpty, !uuid.isEmpty {
            errors.append(FieldError(path, .invalid(value: .string("resource"), detail: "datasetName and datasetUUID can not be specified simultaneously")))
        }
        if name.contains("/") { errors.append(FieldError(path.child("datasetName"), .invalid(value: .string(name), detail: "must not contain '/'"))) }
        return errors
    }

    private static func quobyte(_ source: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let registry = GoFields.string(source["registry"])
        if registry.isEmpty {
            errors.append(FieldError(path.child("registry"), .required(detail: "must be a host:port pair or multiple pairs separated by commas")))
        } else if GoFields.string(source["tenant"]).utf8.count >= 65 {
            errors.append(FieldError(path.child("tenant"), .required(detail: "must be a UUID and may not exceed a length of 64 characters")))
        } else {
            for pair in registry.split(separator: ",", omittingEmptySubsequences: false) where !isHostPort(String(pair)) {
                errors.append(FieldError(path.child("registry"), .invalid(value: .string(registry), detail: "must be a host:port pair or multiple pairs separated by commas")))
            }
        }
        if GoFields.string(source["volume"]).isEmpty { errors.append(FieldError(path.child("volume"), .required(detail: ""))) }
        return errors
    }

    /// Whether `net.SplitHostPort` accepts `text`.
    private static func isHostPort(_ text: String) -> Bool {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return false }
            return text[text.index(after: close)...].hasPrefix(":")
        }
        return text.filter { $0 == ":" }.count == 1
    }

    private static func fc(_ source: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let wwns = GoFields.list(source["targetWWNs"]), wwids = GoFields.list(source["wwids"])
        if wwns.isEmpty, wwids.isEmpty {
            errors.append(FieldError(path.child("targetWWNs"), .required(detail: "must specify either targetWWNs or wwids, but not both")))
        }
        if !wwns.isEmpty, !wwids.isEmpty {
            errors.append(FieldError(path.child("targetWWNs"), .invalid(value: GoValue(source["targetWWNs"]), detail: "targetWWNs and wwids can not be specified simultaneously")))
        }
        if !wwns.isEmpty {
            if let lun = source["lun"]?.int {
                if lun < 0 || lun > 255 { errors.append(FieldError(path.child("lun"), .invalid(value: .int(lun), detail: ValueFormats.inclusiveRange(0, 255)))) }
            } else {
                errors.append(FieldError(path.child("lun"), .required(detail: "lun is required if targetWWNs is specified")))
            }
        }
        return errors
    }

    private static func azureDisk(_ source: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if GoFields.string(source["diskName"]).isEmpty { errors.append(FieldError(path.child("diskName"), .required(detail: ""))) }
        let uri = GoFields.string(source["diskURI"])
        if uri.isEmpty { errors.append(FieldError(path.child("diskURI"), .required(detail: ""))) }
        if let mode = source["cachingMode"]?.string, !["None", "ReadOnly", "ReadWrite"].contains(mode) {
            errors.append(FieldError(path.child("cachingMode"), .notSupported(value: .string(mode), supported: ["None", "ReadOnly", "ReadWrite"])))
        }
        if let kind = source["kind"]?.string {
            if !["Dedicated", "Managed", "Shared"].contains(kind) {
                errors.append(FieldError(path.child("kind"), .notSupported(value: .string(kind), supported: ["Dedicated", "Managed", "Shared"])))
            }
            if kind == "Managed", !uri.hasPrefix("/subscriptions/") {
                errors.append(FieldError(path.child("diskURI"), .notSupported(value: .string(uri), supported: ["/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}"])))
            }
            if kind != "Managed", !uri.hasPrefix("https://") {
                errors.append(FieldError(path.child("diskURI"), .notSupported(value: .string(uri), supported: ["https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd"])))
            }
        }
        return errors
    }

    private static func storageOS(_ source: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let name = GoFields.string(source["volumeName"])
        if name.isEmpty {
            errors.append(FieldError(path.child("volumeName"), .required(detail: "")))
        } else {
            errors += MetaValidation.dnsLabel(name, path.child("volumeName"))
        }
        let namespace = GoFields.string(source["volumeNamespace"])
        if !namespace.isEmpty { errors += MetaValidation.dnsLabel(namespace, path.child("volumeNamespace")) }
        if let ref = source["secretRef"], GoFields.isSet(ref), GoFields.string(ref["name"]).isEmpty {
            errors.append(FieldError(path.child("secretRef", "name"), .required(detail: "")))
        }
        return errors
    }

    /// `ValidateCSIDriverName`.
    private static func csiDriverName(_ driver: String, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if driver.isEmpty { errors.append(FieldError(path, .required(detail: ""))) }
        if driver.utf8.count > 63 { errors.append(FieldError(path, .tooLong(maxLength: 63))) }
        errors += ValueFormats.dns1123Subdomain(driver.lowercased()).map { FieldError(path, .invalid(value: .string(driver), detail: $0)) }
        return errors
    }

    private static func csiSecret(_ source: JSONValue, _ path: FieldPath) -> [FieldError] {
        guard let ref = source["nodePublishSecretRef"], GoFields.isSet(ref) else { return [] }
        let name = GoFields.string(ref["name"])
        if name.isEmpty { return [FieldError(path.child("nodePublishSecretRef", "name"), .required(detail: ""))] }
        return ValueFormats.dns1123Subdomain(name).map { FieldError(path.child("name"), .invalid(value: .string(name), detail: $0)) }
    }

    /// `validateDownwardAPIVolumeFile`; upstream reports the item's errors under the source's
    /// path, not the item's.
    static func downwardAPIFile(_ item: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let target = GoFields.string(item["path"])
        if target.isEmpty { errors.append(FieldError(path.child("path"), .required(detail: ""))) }
        errors += localNonReservedPath(target, path.child("path"))
        if let fieldRef = item["fieldRef"], GoFields.isSet(fieldRef) {
            errors += EnvValidation.objectFieldSelector(fieldRef, expressions: ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"], path.child("fieldRef"))
            if GoFields.isSet(item["resourceFieldRef"]) {
                errors.append(FieldError(path, .invalid(value: .string("resource"), detail: "fieldRef and resourceFieldRef can not be specified simultaneously")))
            }
        } else if let resourceRef = item["resourceFieldRef"], GoFields.isSet(resourceRef) {
            errors += EnvValidation.resourceFieldSelector(resourceRef, path.child("resourceFieldRef"), volume: true)
        } else {
            errors.append(FieldError(path, .required(detail: "one of fieldRef and resourceFieldRef is required")))
        }
        errors += mode(item["mode"], path.child("mode"))
        return errors
    }

    /// `validateProjectedVolumeSource` and `validateProjectionSources`.
    private static func projected(_ source: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errors = mode(source["defaultMode"], path.child("defaultMode"))
        var allPaths = Set<String>()
        for (i, projection) in GoFields.list(source["sources"]).enumerated() {
            var count = 0
            let sourcePath = path.child("sources").index(i)
            for kind in ["secret", "configMap"] {
                guard let ref = projection[kind], GoFields.isSet(ref) else { continue }
                count += 1
                let projPath = sourcePath.child(kind)
                if GoFields.string(ref["name"]).isEmpty { errors.append(FieldError(projPath.child("name"), .required(detail: ""))) }
                for (j, item) in GoFields.list(ref["items"]).enumerated() {
                    errors += keyToPath(item, projPath.child("items").index(j))
                    let itemPath = GoFields.string(item["path"])
                    if !itemPath.isEmpty, !allPaths.insert(itemPath).inserted {
                        errors.append(FieldError(path, .invalid(value: .string(GoFields.string(ref["name"])), detail: "conflicting duplicate paths")))
                    }
                }
            }
            if let api = projection["downwardAPI"], GoFields.isSet(api) {
                count += 1
                for item in GoFields.list(api["items"]) {
                    errors += downwardAPIFile(item, sourcePath.child("downwardAPI"))
                    let itemPath = GoFields.string(item["path"])
                    if !itemPath.isEmpty, !allPaths.insert(itemPath).inserted {
                        errors.append(FieldError(path, .invalid(value: .string(itemPath), detail: "conflicting duplicate paths")))
                    }
                }
            }
            if let token = projection["serviceAccountToken"], GoFields.isSet(token) {
                count += 1
                let expiration = GoFields.int(token["expirationSeconds"])
                let tokenPath = sourcePath.child("serviceAccountToken")
                if expiration < 600 {
                    errors.append(FieldError(tokenPath.child("expirationSeconds"), .invalid(value: .int(expiration), detail: "may not specify a duration less than 10 minutes")))
                }
                if expiration > 1 << 32 {
                    errors.append(FieldError(tokenPath.child("expirationSeconds"), .invalid(value: .int(expiration), detail: "may not specify a duration larger than 2^32 seconds")))
                }
                let tokenFile = GoFields.string(token["path"])
                if tokenFile.isEmpty {
                    errors.append(FieldError(path.child("path"), .required(detail: "")))
                } else {
                    errors += localNonReservedPath(tokenFile, path.child("path"))
                }
            }
            if let bundle = projection["clusterTrustBundle"], GoFields.isSet(bundle) {
                count += 1
                let bundlePath = sourcePath.child("clusterTrustBundle")
                let bundleFile = GoFields.string(bundle["path"])
                if bundleFile.isEmpty { errors.append(FieldError(bundlePath.child("path"), .required(detail: ""))) }
                errors += localNonReservedPath(bundleFile, bundlePath.child("path"))
                if !allPaths.insert(bundleFile).inserted {
                    errors.append(FieldError(path, .invalid(value: .string(bundleFile), detail: "conflicting duplicate paths")))
                }
            }
            if count > 1 {
                errors.append(FieldError(sourcePath, .forbidden(detail: "may not specify more than 1 volume type per source")))
            }
        }
        return errors
    }

    /// `validateEphemeralVolumeSource`: the claim template's metadata and the claim spec basics.
    private static func ephemeral(_ source: JSONValue, _ path: FieldPath) -> [FieldError] {
        guard let template = source["volumeClaimTemplate"], GoFields.isSet(template) else {
            return [FieldError(path.child("volumeClaimTemplate"), .required(detail: ""))]
        }
        let templatePath = path.child("volumeClaimTemplate")
        var errors = MetaValidation.annotations(template["metadata"]?["annotations"], templatePath.child("metadata", "annotations"))
        errors += MetaValidation.labels(template["metadata"]?["labels"], templatePath.child("metadata", "labels"))
        for (field, value) in GoFields.entries(template["metadata"]) where !["labels", "annotations"].contains(field) && GoFields.isNonZero(value) {
            errors.append(FieldError(templatePath.child("metadata", field), .forbidden(detail: "cannot be set")))
        }
        let spec = template["spec"]
        let specPath = templatePath.child("spec")
        let modes = GoFields.list(spec?["accessModes"]).map { GoFields.string($0) }
        if modes.isEmpty { errors.append(FieldError(specPath.child("accessModes"), .required(detail: "at least 1 access mode is required"))) }
        errors += MetaValidation.labelSelector(spec?["selector"], specPath.child("selector"))
        let supported = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
        for accessMode in modes where !supported.contains(accessMode) {
            errors.append(FieldError(specPath.child("accessModes"), .notSupported(value: .string(accessMode), supported: supported)))
        }
        if modes.contains("ReadWriteOncePod"), modes.contains(where: { $0 != "ReadWriteOncePod" && supported.contains($0) }) {
            errors.append(FieldError(specPath.child("accessModes"), .forbidden(detail: "may not use ReadWriteOncePod with other access modes")))
        }
        let storagePath = specPath.child("resources").key("storage")
        if let storage = spec?["resources"]?["requests"]?["storage"] {
            if let quantity = Quantity(json: storage), quantity.nanos <= 0 {
                errors.append(FieldError(storagePath, .invalid(value: .string(quantity.description), detail: "must be greater than zero")))
            }
        } else {
            errors.append(FieldError(storagePath, .required(detail: "")))
        }
        if let className = spec?["storageClassName"]?.string, !className.isEmpty {
            errors += MetaValidation.dnsSubdomain(className, specPath.child("storageClassName"))
        }
        if let volumeMode = spec?["volumeMode"]?.string, !["Block", "Filesystem"].contains(volumeMode) {
            errors.append(FieldError(specPath.child("volumeMode"), .notSupported(value: .string(volumeMode), supported: ["Block", "Filesystem"])))
        }
        return errors
    }
}
