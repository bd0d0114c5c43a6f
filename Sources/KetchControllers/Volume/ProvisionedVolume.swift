import KubeCore

/// The PersistentVolume the simulated provisioner makes for a claim, shaped as
/// local-path-provisioner's: named `pvc-<claim uid>`, pre-bound to the claim through
/// `spec.claimRef`, with the claim's size, access modes and volume mode, the class's reclaim
/// policy (default `Delete`) and mount options, a hostPath, and for a claim bound on its first
/// consumer's node, node affinity to that node.
public enum ProvisionedVolume {
    /// The volume name for `claim`.
    public static func name(for claim: ClaimSpec) -> String { "pvc-\(claim.uid)" }

    /// The volume for `claim` (as stored, with its resourceVersion), of class `className` (nil:
    /// none) described by `storageClass` (nil when no object exists), made by `provisioner`.
    public static func volume(for claim: JSONValue, className: String?, storageClass: JSONValue?, provisioner: String,
                              selectedNode: String?) -> JSONValue {
        let wanted = ClaimSpec(claim)
        let volumeName = name(for: wanted)
        var claimRef: [String: JSONValue] = [
            "apiVersion": .string("v1"),
            "kind": .string("PersistentVolumeClaim"),
            "namespace": .string(wanted.namespace),
            "name": .string(wanted.name),
            "uid": .string(wanted.uid),
        ]
        if let version = claim[path: ["metadata", "resourceVersion"]] { claimRef["resourceVersion"] = version }
        var spec: [String: JSONValue] = [
            "accessModes": .array(wanted.accessModes.map(JSONValue.string)),
            "capacity": .object(["storage": .string(wanted.request)]),
            "claimRef": .object(claimRef),
            "hostPath": .object([
                "path": .string("\(VolumeWellKnown.hostPathRoot)/\(volumeName)_\(wanted.namespace)_\(wanted.name)"),
                "type": .string("DirectoryOrCreate"),
            ]),
            "persistentVolumeReclaimPolicy": .string(storageClass?["reclaimPolicy"]?.string ?? "Delete"),
            "volumeMode": .string(wanted.volumeMode),
        ]
        if let className, !className.isEmpty { spec["storageClassName"] = .string(className) }
        if let options = storageClass?["mountOptions"], !options.isNull { spec["mountOptions"] = options }
        if let selectedNode {
            spec["nodeAffinity"] = .object(["required": .object(["nodeSelectorTerms": .array([.object([
                "matchExpressions": .array([.object([
                    "key": .string("kubernetes.io/hostname"),
                    "operator": .string("In"),
                    "values": .array([.string(selectedNode)]),
                ])]),
            ])])])])
        }
        return .object([
            "apiVersion": .string("v1"),
            "kind": .string("PersistentVolume"),
            "metadata": .object([
                "name": .string(volumeName),
                "annotations": .object([VolumeWellKnown.provisionedBy: .string(provisioner)]),
            ]),
            "spec": .object(spec),
        ])
    }
}
