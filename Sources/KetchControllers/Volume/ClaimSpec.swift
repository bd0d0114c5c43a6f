import KubeCore

/// What the binder reads from a PersistentVolumeClaim.
public struct ClaimSpec: Sendable, Equatable {
    /// `metadata.namespace`.
    public var namespace: String
    /// `metadata.name`.
    public var name: String
    /// `metadata.uid`.
    public var uid: String
    /// `spec.storageClassName`: nil when absent (the default class applies), `""` for "no class".
    public var storageClassName: String?
    /// `spec.accessModes`.
    public var accessModes: [String]
    /// `spec.resources.requests.storage`, as written (`1Gi`).
    public var request: String
    /// `spec.volumeMode` (default `Filesystem`).
    public var volumeMode: String
    /// `spec.volumeName`; empty while unbound.
    public var volumeName: String
    /// `spec.selector`: the labels a pre-made volume must have.
    public var selector: LabelSelector

    /// Reads `claim`.
    public init(_ claim: JSONValue) {
        let spec = claim["spec"] ?? .object([:])
        namespace = ObjectMetadata.namespace(claim)
        name = ObjectMetadata.name(claim)
        uid = ObjectMetadata.uid(claim)
        // The beta annotation still wins over the field, as upstream's GetPersistentVolumeClaimClass.
        storageClassName = claim[path: ["metadata", "annotations", "volume.beta.kubernetes.io/storage-class"]]?.string
            ?? spec["storageClassName"]?.string
        accessModes = (spec["accessModes"]?.array ?? []).compactMap(\.string)
        request = spec[path: ["resources", "requests", "storage"]]?.string
            ?? spec[path: ["resources", "requests", "storage"]]?.int.map(String.init) ?? "0"
        volumeMode = spec["volumeMode"]?.string ?? "Filesystem"
        volumeName = spec["volumeName"]?.string ?? ""
        let selector = spec["selector"]
        self.selector = selector.map { $0.isNull ? .everything : ((try? LabelSelector(json: $0)) ?? .nothing) } ?? .everything
    }

    /// The requested size in bytes.
    public var requestBytes: Int64 { Quantity(request)?.int64Value ?? 0 }

    /// The class a matching volume must have: the class named, or none.
    public var className: String { storageClassName ?? "" }
}
