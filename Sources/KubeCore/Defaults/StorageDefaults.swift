/// The defaults of volumes, claims and storage classes (core/v1 `SetDefaults_PersistentVolume`,
/// `SetDefaults_PersistentVolumeClaim(Spec)`, storage/v1 `SetDefaults_StorageClass`), and the
/// class the DefaultStorageClass admission plugin gives a claim that names none.
public enum StorageDefaults {
    /// The annotation that marks the default StorageClass.
    public static let isDefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class"
    /// Its beta spelling, still honoured.
    static let betaIsDefaultClassAnnotation = "storageclass.beta.kubernetes.io/is-default-class"
    /// The beta annotation a claim may name its class with instead of `storageClassName`.
    static let betaClaimClassAnnotation = "volume.beta.kubernetes.io/storage-class"

    /// A PersistentVolume: phase Pending, reclaim policy Retain, volume mode Filesystem.
    public static func persistentVolume(_ input: JSONValue) -> JSONValue {
        var object = input
        var spec = object["spec"] ?? .object([:])
        spec.setDefault("persistentVolumeReclaimPolicy", .string("Retain"))
        spec.setDefault("volumeMode", .string("Filesystem"))
        spec.modify("hostPath") { $0.setDefault("type", .string("")) }
        object["spec"] = spec
        object["status"] = pendingStatus(object["status"])
        return object
    }

    /// A PersistentVolumeClaim (or a StatefulSet's claim template): its spec's defaults and
    /// phase Pending.
    public static func claim(_ input: JSONValue) -> JSONValue {
        var object = input
        object["spec"] = claimSpec(object["spec"])
        object["status"] = pendingStatus(object["status"])
        return object
    }

    /// `SetDefaults_PersistentVolumeClaimSpec`: volume mode Filesystem.
    public static func claimSpec(_ input: JSONValue?) -> JSONValue {
        var spec = JSONValue.objectOrEmpty(input)
        spec.setDefault("volumeMode", .string("Filesystem"))
        return spec
    }

    /// A StorageClass: reclaim policy Delete, binding mode Immediate.
    public static func storageClass(_ input: JSONValue) -> JSONValue {
        var object = input
        object.setDefault("reclaimPolicy", .string("Delete"))
        object.setDefault("volumeBindingMode", .string("Immediate"))
        return object
    }

    /// The DefaultStorageClass admission plugin: a claim that names no class (`storageClassName`
    /// absent, not empty, which asks for none; nor the beta annotation) gets the default class,
    /// the newest of those annotated default (then the first by name), if there is one.
    public static func assigningDefaultClass(_ claim: JSONValue, storageClasses: [JSONValue]) -> JSONValue {
        guard let spec = claim["spec"], spec["storageClassName"] == nil || spec["storageClassName"] == .null,
              claim["metadata"]?["annotations"]?[betaClaimClassAnnotation] == nil,
              let name = defaultClassName(storageClasses) else { return claim }
        var object = claim
        object["spec"]?["storageClassName"] = .string(name)
        return object
    }

    /// The default class's name among `storageClasses`, nil when none is marked default.
    public static func defaultClassName(_ storageClasses: [JSONValue]) -> String? {
        let defaults = storageClasses.filter { storageClass in
            [isDefaultClassAnnotation, betaIsDefaultClassAnnotation].contains {
                storageClass["metadata"]?["annotations"]?[$0]?.string == "true"
            }
        }
        func created(_ c: JSONValue) -> String { c["metadata"]?["creationTimestamp"]?.string ?? "" }
        func name(_ c: JSONValue) -> String { c["metadata"]?["name"]?.string ?? "" }
        let newest = defaults.sorted { created($0) != created($1) ? created($0) > created($1) : name($0) < name($1) }.first
        return newest.map(name)
    }

    private static func pendingStatus(_ input: JSONValue?) -> JSONValue {
        var status = JSONValue.objectOrEmpty(input)
        status.setDefault("phase", .string("Pending"))
        return status
    }
}
