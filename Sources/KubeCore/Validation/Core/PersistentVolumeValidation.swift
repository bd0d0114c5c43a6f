/// `ValidatePersistentVolume(Update)`: access modes, capacity, reclaim policy, exactly one
/// volume source (hostPath, local, nfs and csi checked in detail, the others counted), class
/// and volume mode; the source and volume mode are immutable.
public enum PersistentVolumeValidation {
    /// `supportedAccessModes`, as `sets.List` orders them.
    static let accessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
    /// `supportedVolumeModes`.
    static let volumeModes = ["Block", "Filesystem"]
    private static let reclaimPolicies = ["Delete", "Recycle", "Retain"]
    private static let hostPathTypes = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]
    /// The volume sources of a PersistentVolumeSpec in the order kube checks them, with the
    /// path each source's own errors use.
    private static let sources: [(key: String, path: String)] = [
        ("hostPath", "hostPath"), ("gcePersistentDisk", "persistentDisk"), ("awsElasticBlockStore", "awsElasticBlockStore"),
        ("glusterfs", "glusterfs"), ("flocker", "flocker"), ("nfs", "nfs"), ("rbd", "rbd"), ("quobyte", "quobyte"),
        ("cephfs", "cephfs"), ("iscsi", "iscsi"), ("cinder", "cinder"), ("fc", "fc"), ("flexVolume", "flexVolume"),
        ("azureFile", "azureFile"), ("vsphereVolume", "vsphereVolume"), ("photonPersistentDisk", "photonPersistentDisk"),
        ("portworxVolume", "portworxVolume"), ("azureDisk", "azureDisk"), ("scaleIO", "scaleIO"), ("local", "local"),
        ("storageos", "storageos"), ("csi", "csi"),
    ]

    /// The kind's rules; `old` is the stored PersistentVolume on update.
    @Sendable public static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        let spec = object["spec"] ?? .object([:])
        var errors = specErrors(spec)
        guard let old else { return errors }
        let oldSpec = old["spec"] ?? .object([:])
        var newSource = sourceOf(spec)
        let oldSource = sourceOf(oldSpec)
        // A CSI volume may gain a controllerExpandSecretRef.
        if oldSource["csi"]?["controllerExpandSecretRef"] == nil, newSource["csi"]?["controllerExpandSecretRef"] != nil {
            newSource["csi"]?["controllerExpandSecretRef"] = nil
        }
        if newSource != oldSource {
            errors.append(FieldError(FieldPath("spec", "persistentvolumesource"), .forbidden(
                detail: "spec.persistentvolumesource is immutable after creation\n" + SpecDiff.render(type: "core.PersistentVolumeSource", old: oldSource, new: newSource))))
        }
        if spec["volumeMode"] != oldSpec["volumeMode"] {
            errors.append(FieldError(FieldPath("volumeMode"), .invalid(value: GoValue(spec["volumeMode"]), detail: ObjectMetaValidation.immutableMessage)))
        }
        return errors
    }

    /// `ValidatePersistentVolumeSpec` for a PersistentVolume (not an inline volume).
    static func specErrors(_ spec: JSONValue) -> [FieldError] {
        let path = FieldPath("spec")
        var errors = accessModeErrors(spec["accessModes"]?.array ?? [], path: path.child("accessModes"), requiredDetail: "")
        let capacity = spec["capacity"]?.object ?? [:]
        if capacity.isEmpty {
            errors.append(FieldError(path.child("capacity"), .required(detail: "")))
        }
        if capacity["storage"] == nil || capacity.count > 1 {
            let shown: GoValue = capacity.isEmpty ? .raw("core.ResourceList(nil)") : GoValue(spec["capacity"])
            errors.append(FieldError(path.child("capacity"), .notSupported(value: shown, supported: ["storage"])))
        }
        for (name, value) in capacity.sorted(by: { $0.key < $1.key }) {
            if let quantity = Quantity(json: value), quantity.nanos <= 0 {
                if quantity.nanos < 0 {
                    errors.append(FieldError(path.child("capacity").key(name), .invalid(value: .int(Int(quantity.int64Value)), detail: "must be a valid resource quantity")))
                }
                errors.append(FieldError(path.child("capacity").key(name), .invalid(value: .string(quantity.description), detail: "must be greater than zero")))
            }
        }
        if let policy = spec["persistentVolumeReclaimPolicy"]?.string, !policy.isEmpty, !reclaimPolicies.contains(policy) {
            errors.append(FieldError(path.child("persistentVolumeReclaimPolicy"), .notSupported(value: .string(policy), supported: reclaimPolicies)))
        }
        var nodeAffinitySpecified = false
        if let affinity = spec["nodeAffinity"], !affinity.isNull {
            nodeAffinitySpecified = true
            if affinity["required"] == nil || affinity["required"] == .null {
                errors.append(FieldError(path.child("nodeAffinity", "required"), .required(detail: "must specify required node constraints")))
            }
        }
        var count = 0
        for source in sources {
            guard let value = spec[source.key], !value.isNull else { continue }
            if count > 0 {
                errors.append(FieldError(path.child(source.key), .forbidden(detail: "may not specify more than 1 volume type")))
                continue
            }
            count += 1
            errors += sourceErrors(source.key, value, path: path.child(source.path))
            if source.key == "local", !nodeAffinitySpecified {
                errors.append(FieldError(path.child("nodeAffinity"), .required(detail: "Local volume requires node affinity")))
            }
        }
        if count == 0 {
            errors.append(FieldError(path, .required(detail: "must specify a volume type")))
        }
        if let hostPath = spec["hostPath"]?["path"]?.string, cleanPath(hostPath) == "/",
           spec["persistentVolumeReclaimPolicy"]?.string == "Recycle" {
            errors.append(FieldError(path.child("persistentVolumeReclaimPolicy"), .forbidden(detail: "may not be 'recycle' for a hostPath mount of '/'")))
        }
        if let className = spec["storageClassName"]?.string, !className.isEmpty {
            errors += NameValidation.dns1123SubdomainErrors(className).map { FieldError(path.child("storageClassName"), .invalid(value: .string(className), detail: $0)) }
        }
        if let mode = spec["volumeMode"]?.string, !volumeModes.contains(mode) {
            errors.append(FieldError(path.child("volumeMode"), .notSupported(value: .string(mode), supported: volumeModes)))
        }
        return errors
    }

    /// Access modes: at least one, each supported, ReadWriteOncePod alone.
    static func accessModeErrors(_ modes: [JSONValue], path: FieldPath, requiredDetail: String) -> [FieldError] {
        var errors: [FieldError] = []
        if modes.isEmpty {
            errors.append(FieldError(path, .required(detail: requiredDetail)))
        }
        var oncePod = false
        var others = false
        for mode in modes.map({ $0.string ?? "" }) {
            if !accessModes.contains(mode) {
                errors.append(FieldError(path, .notSupported(value: .string(mode), supported: accessModes)))
            }
            if mode == "ReadWriteOncePod" { oncePod = true } else if accessModes.contains(mode) { others = true }
        }
        if oncePod, others {
            errors.append(FieldError(path, .forbidden(detail: "may not use ReadWriteOncePod with other access modes")))
        }
        return errors
    }

    /// The checks of the sources Ketch's users create (hostPath, local, nfs, csi).
    private static func sourceErrors(_ key: String, _ source: JSONValue, path: FieldPath) -> [FieldError] {
        switch key {
        case "hostPath":
            let hostPath = source["path"]?.string ?? ""
            if hostPath.isEmpty { return [FieldError(path.child("path"), .required(detail: ""))] }
            var errors = backstepErrors(hostPath, path: path.child("path"))
            if let type = source["type"]?.string, !hostPathTypes.contains(type) {
                errors.append(FieldError(path.child("type"), .notSupported(value: .string(type), supported: hostPathTypes)))
            }
            return errors
        case "local":
            let localPath = source["path"]?.string ?? ""
            if localPath.isEmpty { return [FieldError(path.child("path"), .required(detail: ""))] }
            return backstepErrors(localPath, path: path.child("path"))
        case "nfs":
            var errors: [FieldError] = []
            if (source["server"]?.string ?? "").isEmpty { errors.append(FieldError(path.child("server"), .required(detail: ""))) }
            let nfsPath = source["path"]?.string ?? ""
            if nfsPath.isEmpty { errors.append(FieldError(path.child("path"), .required(detail: ""))) }
            if !nfsPath.hasPrefix("/") { errors.append(FieldError(path.child("path"), .invalid(value: .string(nfsPath), detail: "must be an absolute path"))) }
            return errors
        case "csi":
            var errors = csiDriverNameErrors(source["driver"]?.string ?? "", path: path.child("driver"))
            if (source["volumeHandle"]?.string ?? "").isEmpty { errors.append(FieldError(path.child("volumeHandle"), .required(detail: ""))) }
            return errors
        default:
            return []
        }
    }

    /// `ValidateCSIDriverName`.
    static func csiDriverNameErrors(_ driver: String, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if driver.isEmpty { errors.append(FieldError(path, .required(detail: ""))) }
        if driver.utf8.count > 63 { errors.append(FieldError(path, .tooLong(maxLength: 63))) }
        errors += NameValidation.dns1123SubdomainErrors(driver.lowercased()).map { FieldError(path, .invalid(value: .string(driver), detail: $0)) }
        return errors
    }

    /// `validatePathNoBacksteps`: no `..` segment.
    static func backstepErrors(_ value: String, path: FieldPath) -> [FieldError] {
        value.split(separator: "/", omittingEmptySubsequences: false).contains("..")
            ? [FieldError(path, .invalid(value: .string(value), detail: "must not contain '..'"))] : []
    }

    /// Go's `path.Clean` as far as telling `/` apart matters.
    private static func cleanPath(_ value: String) -> String {
        let parts = value.split(separator: "/").filter { $0 != "." }
        return value.hasPrefix("/") && parts.isEmpty ? "/" : value
    }

    /// The `PersistentVolumeSource` members of a spec (its volume source fields).
    private static func sourceOf(_ spec: JSONValue) -> JSONValue {
        var source: [String: JSONValue] = [:]
        for key in sources.map(\.key) { if let value = spec[key], !value.isNull { source[key] = value } }
        return .object(source)
    }
}
