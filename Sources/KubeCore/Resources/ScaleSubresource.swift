/// The `scale` subresource: autoscaling/v1 Scale views of workloads.
public enum ScaleSubresource {
    /// The Scale of `object`: its identity, `spec.replicas`, `status.replicas` and the
    /// selector as a label-selector string.
    public static func view(of object: JSONValue) -> JSONValue {
        let meta = object["metadata"] ?? .object([:])
        var scaleMeta: [String: JSONValue] = [:]
        for k in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] { scaleMeta[k] = meta[k] }
        let selector = object["spec"]?["selector"]?["matchLabels"]?.object?
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.string ?? "")" }.joined(separator: ",")
        var status: [String: JSONValue] = ["replicas": object["status"]?["replicas"] ?? .integer(0)]
        if let selector { status["selector"] = .string(selector) }
        return .object([
            "kind": .string("Scale"), "apiVersion": .string("autoscaling/v1"),
            "metadata": .object(scaleMeta.filter { $0.value != .null }),
            "spec": .object(["replicas": object["spec"]?["replicas"] ?? .integer(0)]),
            "status": .object(status),
        ])
    }
}
