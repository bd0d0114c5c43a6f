import Foundation
import KubeCore

/// The heartbeat Lease `kube-node-lease/<node>` a kubelet keeps (its nodelease controller):
/// held by the node, valid 40 s, renewed every 10 s, owned by the Node so it goes with it.
public enum WorkerNodeLease {
    /// The Lease namespace.
    public static let namespace = "kube-node-lease"
    /// Seconds a renewal is valid (the kubelet's `nodeLeaseDurationSeconds`).
    public static let durationSeconds = 40

    /// The Lease of `node` renewed at `now`; `existing` (the stored one) keeps its metadata, so
    /// the update carries its resourceVersion.
    public static func build(node: JSONValue, now: Date, existing: JSONValue? = nil) -> JSONValue {
        let name = node["metadata"]?["name"]?.string ?? ""
        var metadata = existing?["metadata"]?.object ?? [:]
        metadata["name"] = .string(name)
        metadata["namespace"] = .string(namespace)
        if let uid = node["metadata"]?["uid"]?.string {
            metadata["ownerReferences"] = .array([.object([
                "apiVersion": .string("v1"), "kind": .string("Node"), "name": .string(name), "uid": .string(uid),
            ])])
        }
        return .object([
            "apiVersion": .string("coordination.k8s.io/v1"), "kind": .string("Lease"),
            "metadata": .object(metadata),
            "spec": .object([
                "holderIdentity": .string(name),
                "leaseDurationSeconds": .integer(durationSeconds),
                "renewTime": .string(KubeTime.micro(now)),
            ]),
        ])
    }
}
