import Foundation
@testable import KetchControllers
import KubeCore

/// Claims, volumes and StorageClasses for the volume binder's tests.
enum VolumeFixtures {
    /// The claim `data` in `default`.
    static func claim(_ name: String = "data", className: String? = nil, request: String = "1Gi",
                      modes: [String] = ["ReadWriteOnce"], volumeName: String? = nil) -> JSONValue {
        var spec: [String: JSONValue] = [
            "accessModes": .array(modes.map(JSONValue.string)),
            "resources": .object(["requests": .object(["storage": .string(request)])]),
        ]
        if let className { spec["storageClassName"] = .string(className) }
        if let volumeName { spec["volumeName"] = .string(volumeName) }
        return .object([
            "apiVersion": .string("v1"), "kind": .string("PersistentVolumeClaim"),
            "metadata": .object(["name": .string(name), "namespace": .string("default"), "uid": .string("uid-\(name)"),
                                 "resourceVersion": .string("5")]),
            "spec": .object(spec),
            "status": .object(["phase": .string("Pending")]),
        ])
    }

    /// A StorageClass.
    static func storageClass(_ name: String, isDefault: Bool = false, provisioner: String = "rancher.io/local-path",
                             mode: String = "Immediate", reclaim: String = "Delete") -> JSONValue {
        var metadata: [String: JSONValue] = ["name": .string(name)]
        if isDefault { metadata["annotations"] = .object([VolumeWellKnown.isDefaultClass: .string("true")]) }
        return .object([
            "apiVersion": .string("storage.k8s.io/v1"), "kind": .string("StorageClass"), "metadata": .object(metadata),
            "provisioner": .string(provisioner), "volumeBindingMode": .string(mode), "reclaimPolicy": .string(reclaim),
        ])
    }

    /// A pre-made volume.
    static func volume(_ name: String, size: String = "5Gi", className: String? = nil, modes: [String] = ["ReadWriteOnce"],
                       claimRef: JSONValue? = nil, phase: String = "Available", reclaim: String = "Retain",
                       labels: [String: String] = [:]) -> JSONValue {
        var spec: [String: JSONValue] = [
            "capacity": .object(["storage": .string(size)]),
            "accessModes": .array(modes.map(JSONValue.string)),
            "persistentVolumeReclaimPolicy": .string(reclaim),
            "hostPath": .object(["path": .string("/tmp/\(name)")]),
        ]
        if let className { spec["storageClassName"] = .string(className) }
        if let claimRef { spec["claimRef"] = claimRef }
        return .object([
            "apiVersion": .string("v1"), "kind": .string("PersistentVolume"),
            "metadata": .object(["name": .string(name), "uid": .string("uid-\(name)"), "labels": .object(labels.mapValues(JSONValue.string))]),
            "spec": .object(spec), "status": .object(["phase": .string(phase)]),
        ])
    }

    /// A claim reference to `data`.
    static func ref(_ name: String = "data", uid: String? = "uid-data") -> JSONValue {
        var ref: [String: JSONValue] = ["kind": .string("PersistentVolumeClaim"), "namespace": .string("default"), "name": .string(name)]
        if let uid { ref["uid"] = .string(uid) }
        return .object(ref)
    }

    /// A scheduled pod mounting `claim`.
    static func consumer(of claim: String, node: String) -> JSONValue {
        .object([
            "metadata": .object(["name": .string("user"), "namespace": .string("default")]),
            "spec": .object(["nodeName": .string(node), "volumes": .array([.object([
                "name": .string("v"), "persistentVolumeClaim": .object(["claimName": .string(claim)]),
            ])])]),
            "status": .object(["phase": .string("Running")]),
        ])
    }
}
