import Foundation
import KubeCore

/// The node heartbeat Lease `kube-node-lease/<node>` the kubelet renews every 10 s; the node
/// lifecycle controller treats the node as alive while it is fresh.
public enum NodeLease {
    /// The Lease namespace.
    public static let namespace = "kube-node-lease"
    /// Seconds the lease is valid after a renewal (the kubelet's default).
    public static let durationSeconds = 40

    /// The Lease, renewed at `now`; `existing` keeps its uid, creationTimestamp and resourceVersion.
    public static func build(nodeName: String, nodeUID: String?, now: Date = Date(), existing: JSONValue? = nil) -> JSONValue {
        var metadata = existing?["metadata"]?.object ?? [:]
        metadata["name"] = .string(nodeName)
        metadata["namespace"] = .string(namespace)
        if metadata["uid"] == nil { metadata["uid"] = .string(UUID().uuidString.lowercased()) }
        if metadata["creationTimestamp"] == nil { metadata["creationTimestamp"] = .string(KubeTime.rfc3339(now)) }
        if let nodeUID {
            metadata["ownerReferences"] = .array([.object([
                "apiVersion": .string("v1"), "kind": .string("Node"),
                "name": .string(nodeName), "uid": .string(nodeUID),
            ])])
        }
        return .object([
            "apiVersion": .string("coordination.k8s.io/v1"), "kind": .string("Lease"),
            "metadata": .object(metadata),
            "spec": .object([
                "holderIdentity": .string(nodeName),
                "leaseDurationSeconds": .integer(durationSeconds),
                "renewTime": .string(KubeTime.micro(now)),
            ]),
        ])
    }
}
